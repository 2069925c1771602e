package io.cohort.model.domain;

import com.google.protobuf.InvalidProtocolBufferException;
import org.tribuo.Model;
import org.tribuo.clustering.ClusterID;
import org.tribuo.protos.core.ModelProto;

/**
 * Stores Tribuo clustering models as Tribuo's protobuf form (portable across Tribuo versions and
 * safe to read: no Java deserialization of untrusted bytes, ever).
 */
public final class ClusterModelCodec {

    private ClusterModelCodec() {
    }

    public static byte[] toBytes(Model<ClusterID> model) {
        return model.serialize().toByteArray();
    }

    public static Model<ClusterID> fromBytes(byte[] bytes) {
        try {
            Model<?> model = Model.deserialize(ModelProto.parseFrom(bytes));
            if (!model.validate(ClusterID.class)) {
                throw new IllegalArgumentException("the stored model is not a clustering model");
            }
            return model.castModel(ClusterID.class);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("the stored model is not a readable Tribuo protobuf", e);
        }
    }
}
