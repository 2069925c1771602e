package io.cohort.feature.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFM on the real CDNOW transactions (../shared/data/cdnow, 69,659 transactions of 23,570
 * customers, 1997-01-01..1998-06-30), scored as of the last day of the data, checked against an
 * independent computation written differently: straight loops over the raw lines, and scores as
 * percent ranks (1 + min(4, floor(5 * strictly worse / n))) instead of boundary cuts.
 */
class RfmCdnowTest {

    private static final Path MASTER = sharedData().resolve("cdnow/CDNOW_master.txt");
    private static final LocalDate TODAY = LocalDate.of(1998, 6, 30);
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private record Line(String customer, LocalDate date, BigDecimal dollars) {
    }

    private static List<Line> lines;

    /**
     * The staged public data sets: {@code -Dcohort.data.dir}, else the first {@code shared/data} walking up
     * from the working directory (the repository sits beside {@code shared/}), else {@code /work/shared/data}
     * (where a clone elsewhere on the development machine finds them).
     */
    private static Path sharedData() {
        String configured = System.getProperty("cohort.data.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("shared/data"))) {
                return dir.resolve("shared/data");
            }
        }
        return Path.of("/work/shared/data");
    }

    @BeforeAll
    static void read() throws IOException {
        assertTrue(Files.exists(MASTER), "the CDNOW data must be at " + MASTER.toAbsolutePath());
        lines = new ArrayList<>();
        for (String raw : Files.readAllLines(MASTER)) {
            String[] c = raw.trim().split("\\s+");
            if (c[0].equals("customer_id")) {
                continue;
            }
            lines.add(new Line(c[0], LocalDate.parse(c[1], DATE), new BigDecimal(c[3])));
        }
    }

    @Test
    void theDataIsTheStagedFile() {
        assertEquals(69_659, lines.size());
        assertEquals(23_570, lines.stream().map(Line::customer).distinct().count());
        assertEquals(0, new BigDecimal("2500315.63").compareTo(
                lines.stream().map(Line::dollars).reduce(BigDecimal.ZERO, BigDecimal::add)));
    }

    @Test
    void domainRfmMatchesAnIndependentComputation() {
        // domain: transactions become daily aggregates (one order per line), then Rfm
        Map<String, Map<LocalDate, DailyActivity>> daily = new TreeMap<>();
        for (Line line : lines) {
            DailyActivity one = new DailyActivity(line.date(), 0, 0, 0, 1, line.dollars());
            daily.computeIfAbsent(line.customer(), c -> new HashMap<>()).merge(line.date(), one, DailyActivity::plus);
        }
        Map<String, Rfm.Metrics> metrics = new TreeMap<>();
        daily.forEach((customer, days) -> metrics.put(customer, Rfm.metrics(days.values(), TODAY)));
        Rfm.Boundaries boundaries = Rfm.boundaries(metrics.values(), TODAY);

        // independent: loops over the raw lines within (today - 365, today]
        LocalDate firstDay = TODAY.minusDays(364);
        Map<String, long[]> freqAndLastDay = new HashMap<>();
        Map<String, BigDecimal> spend = new HashMap<>();
        for (Line line : lines) {
            if (line.date().isBefore(firstDay) || line.date().isAfter(TODAY)) {
                continue;
            }
            long[] fl = freqAndLastDay.computeIfAbsent(line.customer(), c -> new long[] {0, Long.MIN_VALUE});
            fl[0]++;
            fl[1] = Math.max(fl[1], line.date().toEpochDay());
            spend.merge(line.customer(), line.dollars(), BigDecimal::add);
        }
        int n = freqAndLastDay.size();
        assertEquals(n, boundaries.customers());
        assertTrue(n > 1000 && n < 23_570, "a part of the cohort still bought in the last year: " + n);
        String[] ids = freqAndLastDay.keySet().toArray(String[]::new);
        double[] worseIsSmaller = new double[n];
        double[] recencyNegated = new double[n];
        double[] money = new double[n];
        for (int i = 0; i < n; i++) {
            long[] fl = freqAndLastDay.get(ids[i]);
            worseIsSmaller[i] = fl[0];
            recencyNegated[i] = -(TODAY.toEpochDay() - fl[1]);
            money[i] = spend.get(ids[i]).doubleValue();
        }
        double[] fSorted = worseIsSmaller.clone();
        double[] rSorted = recencyNegated.clone();
        double[] mSorted = money.clone();
        Arrays.sort(fSorted);
        Arrays.sort(rSorted);
        Arrays.sort(mSorted);

        Map<String, Integer> groups = new TreeMap<>();
        int[] scoreCounts = new int[6];
        for (int i = 0; i < n; i++) {
            Rfm.Metrics m = metrics.get(ids[i]);
            assertEquals((long) worseIsSmaller[i], m.frequency(), ids[i]);
            assertEquals((long) -recencyNegated[i], m.recencyDays(), ids[i]);
            assertEquals(0, spend.get(ids[i]).compareTo(m.monetary()), ids[i]);
            Rfm.Scores scores = Rfm.score(m, boundaries).orElseThrow();
            int r = percentRankScore(rSorted, recencyNegated[i]);
            int f = percentRankScore(fSorted, worseIsSmaller[i]);
            int mo = percentRankScore(mSorted, money[i]);
            assertEquals(r, scores.r(), "R of " + ids[i]);
            assertEquals(f, scores.f(), "F of " + ids[i]);
            assertEquals(mo, scores.m(), "M of " + ids[i]);
            assertEquals(gridGroup(r, f, mo), scores.group(), "group of " + ids[i]);
            groups.merge(scores.group(), 1, Integer::sum);
            scoreCounts[mo]++;
        }
        // customers without an order in the window are not scored
        long outside = metrics.values().stream().filter(m -> !m.isCustomer()).count();
        assertEquals(23_570 - n, outside);
        // monetary has few ties, so its quintiles hold about a fifth each
        for (int s = 1; s <= 5; s++) {
            assertTrue(Math.abs(scoreCounts[s] - n / 5.0) < n * 0.02, "M = " + s + ": " + scoreCounts[s]);
        }
        assertTrue(groups.size() >= 5, "the base spreads over the groups: " + groups);
    }

    /** 1 + min(4, floor(5 * (values strictly smaller) / n)), counting by binary search in the sorted values. */
    private static int percentRankScore(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return 1 + Math.min(4, (int) ((5L * lo) / sorted.length));
    }

    /** The documented grid, rows R = 5..1, columns FM = 1..5 (FM = ceil((F + M) / 2)). */
    private static String gridGroup(int r, int f, int m) {
        String[][] grid = {
                {"New", "Potential", "Potential", "Champions", "Champions"},
                {"Potential", "Potential", "Potential", "Champions", "Champions"},
                {"Potential", "Potential", "Loyal", "Loyal", "Loyal"},
                {"Hibernating", "Hibernating", "At Risk", "At Risk", "At Risk"},
                {"Lost", "Lost", "At Risk", "At Risk", "At Risk"}};
        int fm = (int) Math.ceil((f + m) / 2.0);
        return grid[5 - r][fm - 1];
    }
}
