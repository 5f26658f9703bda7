package bitvillage.util.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PyFloatTest {

    /** 20,000 doubles with CPython's repr() of each; Java 17's Double.toString gets about 1 in 500 wrong. */
    @Test
    void everyFixtureDoubleIsWrittenAsCPythonReprWritesIt() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int count = 0;
        for (String line : PyJsonTest.resourceLines("python-float-repr.txt")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] parts = line.split(" ", 2);
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
            count++;
            String ours = PyFloat.repr(value);
            if (!ours.equals(parts[1])) mismatches.add(parts[0] + ": expected " + parts[1] + ", got " + ours);
        }
        assertEquals(20000, count);
        assertEquals(List.of(), mismatches.subList(0, Math.min(5, mismatches.size())), mismatches.size() + " differ");
    }

    @Test
    void pythonLayout() {
        assertEquals("1546678801.6103268", PyFloat.repr(1546678801.6103268));
        assertEquals("0.0001", PyFloat.repr(1e-4));
        assertEquals("1.5e-05", PyFloat.repr(1.5e-5));
        assertEquals("1e+16", PyFloat.repr(1e16));
        assertEquals("9999999999999998.0", PyFloat.repr(9999999999999998.0));
        assertEquals("-2.0476490948226406e+17", PyFloat.repr(-2.0476490948226406e+17));
        assertEquals("699.0", PyFloat.repr(699));
        assertEquals("-0.0", PyFloat.repr(-0.0));
        assertEquals("1e+100", PyFloat.repr(1e100));
        assertEquals("5e-324", PyFloat.repr(Double.MIN_VALUE));
        assertEquals("NaN", PyFloat.repr(Double.NaN));
        assertEquals("-Infinity", PyFloat.repr(Double.NEGATIVE_INFINITY));
    }
}
