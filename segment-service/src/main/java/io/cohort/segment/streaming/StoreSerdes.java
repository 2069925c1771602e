package io.cohort.segment.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.segment.domain.Membership;
import io.cohort.segment.domain.ScoreVersion;
import io.cohort.segment.domain.SubscriberView;
import io.cohort.support.streams.BinarySerde;
import io.cohort.support.streams.StoreBytes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * Binary values of the views, memberships and member index stores (internal, as are their
 * changelogs), as {@link BinarySerde}s: a format byte, then the fields in {@link StoreBytes}'
 * primitives; JSON written by earlier versions is still read.
 */
final class StoreSerdes {

    private StoreSerdes() {
    }

    static Serde<SubscriberView> views(ObjectMapper json) {
        return new BinarySerde<>(json, SubscriberView.class, 256, StoreSerdes::writeView, StoreSerdes::readView);
    }

    static Serde<StoredMemberships> memberships(ObjectMapper json) {
        return new BinarySerde<>(json, StoredMemberships.class, 128, StoreSerdes::writeMemberships,
                StoreSerdes::readMemberships);
    }

    static Serde<StoredMember> members(ObjectMapper json) {
        return new BinarySerde<>(json, StoredMember.class, 16, (out, m) -> {
            out.writeNullableInstant(m.enteredAt());
            out.writeBoolean(m.holdout());
            out.writeBoolean(m.suppressed());
        }, in -> new StoredMember(in.readNullableInstant(), in.readBoolean(), in.readBoolean()));
    }

    static void writeView(StoreBytes.Out out, SubscriberView v) {
        out.writeNullableString(v.subscriberId());
        out.writeBoolean(v.featureVersion() != null);
        if (v.featureVersion() != null) {
            out.writeLong(v.featureVersion());
        }
        writeNumbers(out, v.features());
        ScoreVersion sv = v.scoreVersion();
        out.writeBoolean(sv != null);
        if (sv != null) {
            out.writeLong(sv.featureVersion());
            out.writeNullableInstant(sv.scoredAt());
            writeNullableInt(out, sv.clusterModelVersion());
        }
        writeNullableInt(out, v.clusterId());
        out.writeNullableString(v.clusterName());
        out.writeVarint(v.labels().size());
        v.labels().forEach((name, value) -> {
            out.writeString(name);
            out.writeString(value);
        });
        out.writeNullableInstant(v.featuresComputedAt());
        writeNumbers(out, v.scores());
        out.writeVarint(v.reasons().size());
        v.reasons().forEach((score, codes) -> {
            out.writeString(score);
            out.writeVarint(codes.size());
            codes.forEach(out::writeNullableString);
        });
    }

    static SubscriberView readView(StoreBytes.In in) {
        String subscriberId = in.readNullableString();
        Long featureVersion = in.readBoolean() ? in.readLong() : null;
        Map<String, Double> features = readNumbers(in);
        ScoreVersion scoreVersion = in.readBoolean()
                ? new ScoreVersion(in.readLong(), in.readNullableInstant(), readNullableInt(in))
                : null;
        Integer clusterId = readNullableInt(in);
        String clusterName = in.readNullableString();
        int labelCount = in.readVarint();
        Map<String, String> labels = new HashMap<>(capacity(labelCount));
        for (int i = 0; i < labelCount; i++) {
            labels.put(in.readString(), in.readString());
        }
        var computedAt = in.readNullableInstant();
        Map<String, Double> scores = readNumbers(in);
        int reasonCount = in.readVarint();
        Map<String, List<String>> reasons = new HashMap<>(capacity(reasonCount));
        for (int i = 0; i < reasonCount; i++) {
            String score = in.readString();
            int codeCount = in.readVarint();
            List<String> codes = new ArrayList<>(codeCount);
            for (int j = 0; j < codeCount; j++) {
                codes.add(in.readNullableString());
            }
            reasons.put(score, codes);
        }
        return new SubscriberView(subscriberId, featureVersion, features, scoreVersion, clusterId, clusterName,
                labels, computedAt, scores, reasons);
    }

    static void writeMemberships(StoreBytes.Out out, StoredMemberships stored) {
        out.writeVarint(stored.items().size());
        for (Membership m : stored.items()) {
            out.writeBoolean(m.segmentId() != null);
            if (m.segmentId() != null) {
                out.writeUuid(m.segmentId());
            }
            out.writeNullableString(m.segmentName());
            out.writeInt(m.segmentVersion());
            out.writeNullableInstant(m.enteredAt());
            out.writeBoolean(m.holdout());
        }
    }

    static StoredMemberships readMemberships(StoreBytes.In in) {
        int count = in.readVarint();
        List<Membership> items = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            items.add(new Membership(in.readBoolean() ? in.readUuid() : null, in.readNullableString(), in.readInt(),
                    in.readNullableInstant(), in.readBoolean()));
        }
        return new StoredMemberships(items);
    }

    private static void writeNumbers(StoreBytes.Out out, Map<String, Double> numbers) {
        out.writeVarint(numbers.size());
        numbers.forEach((name, value) -> {
            out.writeString(name);
            out.writeDouble(value);
        });
    }

    private static Map<String, Double> readNumbers(StoreBytes.In in) {
        int count = in.readVarint();
        Map<String, Double> numbers = new HashMap<>(capacity(count));
        for (int i = 0; i < count; i++) {
            numbers.put(in.readString(), in.readDouble());
        }
        return numbers;
    }

    private static void writeNullableInt(StoreBytes.Out out, Integer value) {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeInt(value);
        }
    }

    private static Integer readNullableInt(StoreBytes.In in) {
        return in.readBoolean() ? in.readInt() : null;
    }

    /** A HashMap capacity for {@code count} entries without rehashing (capped: a corrupt count must not allocate). */
    private static int capacity(int count) {
        return Math.min(count, 4096) * 4 / 3 + 1;
    }
}
