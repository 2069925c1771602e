package io.cohort.model.domain.propensity;

import io.cohort.model.RealData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The Hillstrom MineThatData e-mail test (64,000 customers) as labelled rows. */
final class Hillstrom {

    static final String FILE = "hillstrom/Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv";

    /** Inputs: pre-campaign customer facts one-hot encoded, plus the randomised e-mail arm. */
    static final List<String> FEATURES = List.of("recency", "history", "mens", "womens", "newbie",
            "zip_urban", "zip_rural", "channel_web", "channel_phone", "email_mens", "email_womens");

    private Hillstrom() {
    }

    /** Every row with outcome {@code visit} or {@code conversion}. */
    static List<LabelledRow> load(String outcome) throws IOException {
        List<String> lines = Files.readAllLines(RealData.file(FILE));
        List<String> header = split(lines.get(0));
        int recency = header.indexOf("recency");
        int history = header.indexOf("history");
        int mens = header.indexOf("mens");
        int womens = header.indexOf("womens");
        int zip = header.indexOf("zip_code");
        int newbie = header.indexOf("newbie");
        int channel = header.indexOf("channel");
        int segment = header.indexOf("segment");
        int label = header.indexOf(outcome);
        List<LabelledRow> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = split(line);
            Map<String, Double> x = new LinkedHashMap<>();
            x.put("recency", Double.parseDouble(f.get(recency)));
            x.put("history", Double.parseDouble(f.get(history)));
            x.put("mens", Double.parseDouble(f.get(mens)));
            x.put("womens", Double.parseDouble(f.get(womens)));
            x.put("newbie", Double.parseDouble(f.get(newbie)));
            x.put("zip_urban", f.get(zip).equals("Urban") ? 1.0 : 0.0);
            x.put("zip_rural", f.get(zip).equals("Rural") ? 1.0 : 0.0);
            x.put("channel_web", f.get(channel).equals("Web") ? 1.0 : 0.0);
            x.put("channel_phone", f.get(channel).equals("Phone") ? 1.0 : 0.0);
            x.put("email_mens", f.get(segment).equals("Mens E-Mail") ? 1.0 : 0.0);
            x.put("email_womens", f.get(segment).equals("Womens E-Mail") ? 1.0 : 0.0);
            rows.add(new LabelledRow(x, Integer.parseInt(f.get(label).trim())));
        }
        return rows;
    }

    /** A seeded shuffle: the data has no time order, so the split is random (and repeatable). */
    static List<LabelledRow> shuffled(List<LabelledRow> rows, long seed) {
        List<LabelledRow> copy = new ArrayList<>(rows);
        Collections.shuffle(copy, new Random(seed));
        return copy;
    }

    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(current.toString());
                current.setLength(0);
            } else if (c != '\r') {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }
}
