package io.cohort.segment.streaming;

/** The stores cannot answer right now (start-up restore, rebalance, an instance not answering): retry shortly. */
public class StreamsUnavailableException extends RuntimeException {

    public StreamsUnavailableException(String why) {
        super(why, null, false, false);
    }
}
