package bitvillage.race;

import java.util.List;

/**
 * The three tables of the Bitcoin whitepaper's section 11, "Calculations" (Satoshi Nakamoto,
 * "Bitcoin: A Peer-to-Peer Electronic Cash System", 2008), as printed: the figures its C function
 * AttackerSuccessProbability gave, which ours must reproduce to the last printed digit. Copied
 * from the paper's text; issue 10 lists the figures the project holds as facts, and they agree.
 */
public final class Whitepaper {
    private Whitepaper() {}

    /** One printed line: z confirmations, and the chance P as the paper prints it. */
    public record Line(int z, String printed) {}

    /** The paper's first table: q = 0.1, z = 0 to 10. */
    public static final double FIRST_Q = 0.1;
    public static final List<Line> FIRST = List.of(
            new Line(0, "1.0000000"), new Line(1, "0.2045873"), new Line(2, "0.0509779"),
            new Line(3, "0.0131722"), new Line(4, "0.0034552"), new Line(5, "0.0009137"),
            new Line(6, "0.0002428"), new Line(7, "0.0000647"), new Line(8, "0.0000173"),
            new Line(9, "0.0000046"), new Line(10, "0.0000012"));

    /** The second: q = 0.3, z = 0 to 50 in steps of 5. */
    public static final double SECOND_Q = 0.3;
    public static final List<Line> SECOND = List.of(
            new Line(0, "1.0000000"), new Line(5, "0.1773523"), new Line(10, "0.0416605"),
            new Line(15, "0.0101008"), new Line(20, "0.0024804"), new Line(25, "0.0006132"),
            new Line(30, "0.0001522"), new Line(35, "0.0000379"), new Line(40, "0.0000095"),
            new Line(45, "0.0000024"), new Line(50, "0.0000006"));

    /** The third: for each q, the fewest confirmations z that bring P below 0.1%. */
    public record Fewest(double q, int z) {}

    public static final double THIRD_LIMIT = 0.001;
    public static final List<Fewest> THIRD = List.of(
            new Fewest(0.10, 5), new Fewest(0.15, 8), new Fewest(0.20, 11), new Fewest(0.25, 15),
            new Fewest(0.30, 24), new Fewest(0.35, 41), new Fewest(0.40, 89), new Fewest(0.45, 340));
}
