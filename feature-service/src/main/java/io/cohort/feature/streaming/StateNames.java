package io.cohort.feature.streaming;

import io.cohort.contracts.FeatureNames;
import io.cohort.support.streams.StoreBytes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Feature and label names in stored subscriber states as small codes: the last published vector's
 * names were most of a state's bytes, written and decoded as strings on every event and tick.
 * {@link #NAMES} is append-only: a code, once written to a changelog, must name the same feature
 * for as long as such values may be restored; a name not listed (a new feature, a category share,
 * an intent topic) is written as a string, so forgetting to list one costs speed, never data.
 * The 168 hour-of-week bins have codes of their own from {@link #HOUR_CODE_BASE}.
 */
final class StateNames {

    /** Append new names at the end only. */
    static final List<String> NAMES = List.of(
            "emails_delivered_30d", "emails_opened_30d", "emails_clicked_30d", "days_since_last_open", "orders_90d",
            "revenue_90d", "unsubscribed", "complained", "hard_bounced", "email_consent", "suppressed",
            "emails_sent_7d", "emails_sent_30d", "emails_sent_90d", "emails_opened_7d", "emails_opened_90d",
            "emails_clicked_7d", "emails_clicked_90d", "emails_replied_30d", "click_to_open_30d",
            "days_since_last_click", "days_since_last_order", "orders_365d", "revenue_365d",
            "average_order_value_365d", "page_views_30d", "pricing_page_views_30d", "tenure_days",
            "rfm_recency_days", "rfm_frequency", "rfm_monetary", "rfm_r_score", "rfm_f_score", "rfm_m_score",
            "engaged_sends_last_5", "engagement_decay_slope_8w", "order_frequency_365d", "mobile_share_90d",
            "product_views_30d", "account_tier", "account_target", "account_contacts",
            "account_engaged_contacts_30d", "account_intent_signals_30d", "account_pricing_intent_30d",
            "account_revenue_365d", "emails_replied_7d", "emails_replied_90d", "click_to_open_7d",
            "click_to_open_90d", "orders_total", "revenue_total", "orders_30d", "revenue_30d", "rfm_group",
            "lifecycle_stage", "account_id", "timezone");
    static final int HOUR_CODE_BASE = 1000;
    private static final int LITERAL = 0;
    private static final String[] HOURS = new String[168];
    private static final Map<String, Integer> CODES = new HashMap<>();

    static {
        for (int i = 0; i < NAMES.size(); i++) {
            CODES.put(NAMES.get(i), i + 1);
        }
        for (int bin = 0; bin < HOURS.length; bin++) {
            HOURS[bin] = FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX + bin;
            CODES.put(HOURS[bin], HOUR_CODE_BASE + bin);
        }
    }

    private StateNames() {
    }

    static void write(StoreBytes.Out out, String name) {
        Integer code = CODES.get(name);
        if (code == null) {
            out.writeVarint(LITERAL);
            out.writeString(name);
        } else {
            out.writeVarint(code);
        }
    }

    static String read(StoreBytes.In in) {
        int code = in.readVarint();
        if (code == LITERAL) {
            return in.readString();
        }
        if (code >= 1 && code <= NAMES.size()) {
            return NAMES.get(code - 1);
        }
        if (code >= HOUR_CODE_BASE && code < HOUR_CODE_BASE + HOURS.length) {
            return HOURS[code - HOUR_CODE_BASE];
        }
        throw new SerializationException("unknown feature name code " + code + " in a stored state");
    }
}
