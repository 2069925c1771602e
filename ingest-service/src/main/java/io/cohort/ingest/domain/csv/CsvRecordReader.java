package io.cohort.ingest.domain.csv;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file record by record with Jackson's CSV parser (RFC 4180 quoting, quoted values may
 * span lines), reporting malformed records instead of stopping: a stray quote makes its record
 * bad and reading goes on with the next one; an unterminated quoted value (which would swallow the
 * rest of the file) makes its record bad and reading restarts on the line after the record's
 * first line. Every record carries its first line number (1-based, in the whole file) and the
 * position right after it, so reading can resume there after a restart.
 */
public final class CsvRecordReader implements Closeable {

    private static final CsvMapper CSV = new CsvMapper();

    /**
     * One record: its line, its values (null when malformed), the error (null when well formed),
     * and where the next record starts (chars from the start of the file, lines before it).
     */
    public record Record(long line, List<String> values, String error, long nextCharOffset, long nextLineOffset) {
    }

    static final String UNTERMINATED = "unterminated quoted value (a quote opens a value that never closes)";

    private final Path file;
    private CsvParser parser;
    private long baseChars;
    private long baseLines;
    private boolean outerSeen;

    /**
     * @param charOffset chars of the file already consumed (a record boundary)
     * @param lineOffset lines of the file before that boundary
     */
    public CsvRecordReader(Path file, long charOffset, long lineOffset) throws IOException {
        this.file = file;
        open(charOffset, lineOffset);
    }

    private void open(long charOffset, long lineOffset) throws IOException {
        if (parser != null) {
            parser.close();
        }
        Reader reader = new BufferedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), 1 << 16);
        skipFully(reader, charOffset);
        if (charOffset > 0) {
            // offsets point at the line break ('\r' or '\n') ending the previous record (where Jackson reports the
            // record's end): step over it so the parser starts on the next line
            reader.mark(2);
            int c = reader.read();
            if (c == '\r') {
                reader.mark(1);
                if (reader.read() != '\n') {
                    reader.reset();
                }
            } else if (c != '\n') {
                reader.reset();
            }
        }
        parser = (CsvParser) CSV.getFactory().createParser(reader);
        // rows as arrays inside one outer array: the location after a row's END_ARRAY is then the
        // start of the next line (what resuming needs)
        parser.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        parser.setSchema(CsvSchema.emptySchema());
        outerSeen = false;
        baseChars = charOffset;
        baseLines = lineOffset;
    }

    private static void skipFully(Reader reader, long chars) throws IOException {
        long left = chars;
        while (left > 0) {
            long skipped = reader.skip(left);
            if (skipped <= 0) {
                break;
            }
            left -= skipped;
        }
    }

    /** The next record, or null at the end of the file. Blank lines are skipped. */
    public Record next() throws IOException {
        while (true) {
            JsonToken token;
            try {
                token = parser.nextToken();
            } catch (IOException e) {
                // between records only an unterminated quote can fail: restart on the next line
                return restart(baseLines + parser.currentLocation().getLineNr(),
                        baseChars + Math.max(0, parser.currentLocation().getCharOffset()), UNTERMINATED);
            }
            if (token == null) {
                return null;
            }
            if (token == JsonToken.START_ARRAY && !outerSeen) {
                outerSeen = true;
                continue;
            }
            if (token == JsonToken.END_ARRAY) {
                return null;
            }
            if (token != JsonToken.START_ARRAY) {
                continue;
            }
            long line = baseLines + parser.currentLocation().getLineNr();
            long start = baseChars + Math.max(0, parser.currentLocation().getCharOffset());
            List<String> values = new ArrayList<>();
            String error = null;
            int failures = 0;
            while (true) {
                try {
                    token = parser.nextToken();
                } catch (IOException e) {
                    String message = e.getMessage() == null ? "" : e.getMessage();
                    if (message.contains("Missing closing quote")) {
                        return restart(line, start, UNTERMINATED);
                    }
                    error = "malformed quoting (a quote inside an unquoted value, or text after a closing quote)";
                    if (++failures > 100) {
                        return restart(line, start, error);
                    }
                    continue;
                }
                if (token == null || token == JsonToken.END_ARRAY) {
                    break;
                }
                values.add(parser.getText());
            }
            long nextChars = baseChars + parser.currentLocation().getCharOffset();
            long nextLines = baseLines + parser.currentLocation().getLineNr() - 1;
            if (error != null && nextLines > line) {
                // a bad quote made the record run over following lines: those lines may be good records
                return restart(line, start, error);
            }
            if (error == null && (values.isEmpty() || values.size() == 1 && values.get(0).isBlank())) {
                continue;
            }
            return new Record(line, error == null ? values : null, error, nextChars, nextLines);
        }
    }

    /**
     * The record starting at {@code line} (at char {@code start}) is malformed and ran past its first
     * line (an unterminated quote runs to the end of the file): report it and go on with the line
     * after its first line.
     */
    private Record restart(long line, long start, String error) throws IOException {
        long next;
        try (Reader reader = new BufferedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), 1 << 16)) {
            skipFully(reader, start);
            next = start;
            int c = reader.read();
            // the record's position may be that of the line break before it
            while (c == '\r' || c == '\n') {
                next++;
                c = reader.read();
            }
            while (c != -1) {
                if (c == '\n') {
                    break;
                }
                next++;
                c = reader.read();
            }
            // next: the '\n' ending the record's first line (or the end of the file)
        }
        open(next, line);
        return new Record(line, null, error, next, line);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
