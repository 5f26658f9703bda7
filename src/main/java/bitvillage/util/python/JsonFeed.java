package bitvillage.util.python;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteBufferFeeder;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * {@code json.loads} of bytes that arrive a piece at a time: the tokens of one JSON value, read as
 * each piece comes in, so that a reader can judge a value as it goes and need not hold the text,
 * nor build what it does not keep. Scalars are what {@link PyJson#loads} makes of them (a whole
 * number as Long or BigInteger, NaN and Infinity read as Python reads them); the bytes must be
 * UTF-8, strictly.
 *
 * <p>A {@link PyJson.JsonException} names the kind of problem and where it is, never the text: the
 * bytes may be a stranger's (a server that is no node, asked as a neighbour), and what we say about
 * them must not repeat them.
 */
public final class JsonFeed implements AutoCloseable {
    /** The longest string we read, in characters: a transaction is at most 2,048 bytes, a hash 64 characters. */
    public static final int MAX_STRING_CHARS = 1 << 16;
    /** The message of a {@link PyJson.JsonException} for bytes that are not UTF-8. */
    public static final String NOT_UTF8 = "not UTF-8 text";

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNumberLength(PyJson.MAX_DIGITS)
                    .maxStringLength(MAX_STRING_CHARS)
                    .maxNameLength(MAX_STRING_CHARS)
                    .build())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python reads NaN and Infinity
            .build();

    private final JsonParser parser;
    private final ByteBufferFeeder feeder;
    private final Utf8Check utf8 = new Utf8Check();
    private int depth; // how many lists and objects are open
    private boolean valueSeen; // the one value began
    private boolean ended; // no more bytes will come

    public JsonFeed() {
        try {
            parser = FACTORY.createNonBlockingByteBufferParser();
        } catch (IOException e) {
            throw new IllegalStateException("Jackson has no non-blocking parser", e);
        }
        feeder = (ByteBufferFeeder) parser.getNonBlockingInputFeeder();
    }

    /**
     * Takes the next bytes. Read their tokens with {@link #next} until it answers null before
     * feeding more; the buffer must not change until then.
     */
    public void feed(ByteBuffer bytes) {
        utf8.check(bytes.duplicate());
        try {
            feeder.feedInput(bytes);
        } catch (IOException e) {
            throw problem(e);
        }
    }

    /** No more bytes will come: {@link #next} reads what is left, and says if the value is not whole. */
    public void end() {
        utf8.end();
        feeder.endOfInput();
        ended = true;
    }

    /**
     * The next token: a list or object that starts or ends, a key, or a scalar. Null when the bytes
     * fed so far hold no more tokens (feed more, or end), and, once ended, after the last.
     */
    public JsonToken next() {
        JsonToken token;
        try {
            token = parser.nextToken();
        } catch (IOException e) {
            throw problem(e);
        }
        if (token == JsonToken.NOT_AVAILABLE) return null;
        if (token == null) {
            if (ended && !valueSeen) throw new PyJson.JsonException("no JSON value", null);
            if (ended && depth > 0) throw new PyJson.JsonException("the text ends before the JSON value does", null);
            return null;
        }
        if (valueSeen && depth == 0) throw new PyJson.JsonException("more text after the JSON value" + where(), null);
        valueSeen = true;
        if (token.isStructStart()) depth++;
        if (token.isStructEnd()) depth--;
        return token;
    }

    /** The key of a {@link JsonToken#FIELD_NAME}. */
    public String key() {
        try {
            return parser.currentName();
        } catch (IOException e) {
            throw problem(e);
        }
    }

    /** The scalar just read, as {@link PyJson#loads} makes it: String, Long, BigInteger, Double, Boolean or null. */
    public Object scalar() {
        try {
            return switch (parser.currentToken()) {
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT -> {
                    if (parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) yield parser.getLongValue();
                    BigInteger big = parser.getBigIntegerValue();
                    yield big.bitLength() < 64 ? (Object) big.longValue() : big;
                }
                case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                default -> throw new IllegalStateException("not a scalar: " + parser.currentToken());
            };
        } catch (IOException e) {
            throw problem(e);
        }
    }

    /** How many lists and objects are open: 1 inside the outermost one. */
    public int depth() {
        return depth;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // nothing was open but memory
        }
    }

    /** Jackson's complaint as a kind and a place: its own message quotes the text, up to 256 characters of it. */
    private PyJson.JsonException problem(IOException e) {
        if (e instanceof StreamConstraintsException limit) return new PyJson.JsonException(PyJson.limitInPlainWords(limit), e);
        return new PyJson.JsonException("malformed JSON" + where(), e);
    }

    private String where() {
        JsonLocation at = parser.currentLocation();
        return at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /**
     * Strict UTF-8, checked as the bytes arrive (Java's decoder would hold a whole text): the
     * well-formed sequences of the Unicode standard (table 3-7), so no overlong forms, surrogates,
     * or code points past U+10FFFF, as {@link Utf8#strict} reads them.
     */
    private static final class Utf8Check {
        private int need; // continuation bytes still to come
        private int low = 0x80; // the range of the next continuation byte
        private int high = 0xBF;

        void check(ByteBuffer bytes) {
            while (bytes.hasRemaining()) {
                int b = bytes.get() & 0xFF;
                if (need == 0) {
                    if (b < 0x80) continue;
                    low = 0x80;
                    high = 0xBF;
                    if (b >= 0xC2 && b <= 0xDF) {
                        need = 1;
                    } else if (b == 0xE0) {
                        need = 2;
                        low = 0xA0;
                    } else if (b == 0xED) {
                        need = 2;
                        high = 0x9F; // no surrogates
                    } else if (b >= 0xE1 && b <= 0xEF) {
                        need = 2;
                    } else if (b == 0xF0) {
                        need = 3;
                        low = 0x90;
                    } else if (b >= 0xF1 && b <= 0xF3) {
                        need = 3;
                    } else if (b == 0xF4) {
                        need = 3;
                        high = 0x8F; // nothing past U+10FFFF
                    } else {
                        throw notUtf8();
                    }
                } else {
                    if (b < low || b > high) throw notUtf8();
                    low = 0x80;
                    high = 0xBF;
                    need--;
                }
            }
        }

        void end() {
            if (need != 0) throw notUtf8();
        }

        private static PyJson.JsonException notUtf8() {
            return new PyJson.JsonException(NOT_UTF8, null);
        }
    }
}
