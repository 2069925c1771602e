package io.cohort.ingest.domain.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRecordReaderTest {

    static final String CSV = String.join("\n",
            "userId,event,note",              // 1
            "u1,Viewed,plain",                // 2
            "u2,\"bad\"quote,x",              // 3 stray quote
            "u3,A,B,C",                       // 4 four values
            "",                               // 5 blank
            "u5,\"multi",                     // 6 quoted value over two lines
            "line\",y",                       // 7
            "u6,\"unterminated,z",            // 8 never closes
            "u7,Viewed,\"quoted, comma\"",    // 9
            "u8,Viewed,last") + "\n";         // 10

    private static List<CsvRecordReader.Record> readAll(Path file, long chars, long lines) throws Exception {
        List<CsvRecordReader.Record> records = new ArrayList<>();
        try (CsvRecordReader reader = new CsvRecordReader(file, chars, lines)) {
            CsvRecordReader.Record record;
            while ((record = reader.next()) != null) {
                records.add(record);
            }
        }
        return records;
    }

    @Test
    void malformedRecordsAreReportedByLineAndEveryGoodRecordIsRead(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.csv"), CSV, StandardCharsets.UTF_8);
        List<CsvRecordReader.Record> records = readAll(file, 0, 0);
        assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 8L, 9L, 10L), records.stream().map(CsvRecordReader.Record::line).toList());
        assertEquals(List.of("u1", "Viewed", "plain"), records.get(1).values());
        assertNotNull(records.get(2).error(), "stray quote");
        assertNull(records.get(2).values());
        assertEquals(4, records.get(3).values().size());
        assertEquals(List.of("u5", "multi\nline", "y"), records.get(4).values());
        assertNotNull(records.get(5).error(), "unterminated quote");
        assertEquals(List.of("u7", "Viewed", "quoted, comma"), records.get(6).values());
        assertEquals(List.of("u8", "Viewed", "last"), records.get(7).values());
    }

    @Test
    void readingResumesAtAnyRecordBoundaryWithTheSameLineNumbers(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.csv"), "\uFEFF" + CSV.replace("\n", "\r\n"), StandardCharsets.UTF_8);
        List<CsvRecordReader.Record> all = readAll(file, 0, 0);
        for (int i = 0; i < all.size(); i++) {
            CsvRecordReader.Record at = all.get(i);
            List<CsvRecordReader.Record> rest = readAll(file, at.nextCharOffset(), at.nextLineOffset());
            assertEquals(all.subList(i + 1, all.size()).stream().map(r -> r.line() + ":" + r.values()).toList(),
                    rest.stream().map(r -> r.line() + ":" + r.values()).toList(), "resumed after record " + i);
        }
    }
}
