package io.cohort.contracts;

import java.util.List;

/**
 * Names of the features carried in {@link FeatureVector#features()}. feature-service owns their
 * definitions (its catalogue); the names are part of the contract because model-service and
 * segment-service read them.
 */
public final class FeatureNames {
    public static final String EMAILS_DELIVERED_30D = "emails_delivered_30d";
    public static final String EMAILS_OPENED_30D = "emails_opened_30d";
    public static final String EMAILS_CLICKED_30D = "emails_clicked_30d";
    /** Absent when the subscriber never opened an email. */
    public static final String DAYS_SINCE_LAST_OPEN = "days_since_last_open";
    public static final String ORDERS_90D = "orders_90d";
    public static final String REVENUE_90D = "revenue_90d";

    // Suppression and consent (0/1); segment-service must never send to suppressed = 1
    public static final String UNSUBSCRIBED = "unsubscribed";
    public static final String COMPLAINED = "complained";
    public static final String HARD_BOUNCED = "hard_bounced";
    /** 1 unless the latest 'Consent Updated' for channel email revoked it. */
    public static final String EMAIL_CONSENT = "email_consent";
    /** 1 when unsubscribed, complained, hard-bounced or without email consent. */
    public static final String SUPPRESSED = "suppressed";

    // Engagement windows
    public static final String EMAILS_SENT_7D = "emails_sent_7d";
    public static final String EMAILS_SENT_30D = "emails_sent_30d";
    public static final String EMAILS_SENT_90D = "emails_sent_90d";
    public static final String EMAILS_OPENED_7D = "emails_opened_7d";
    public static final String EMAILS_OPENED_90D = "emails_opened_90d";
    public static final String EMAILS_CLICKED_7D = "emails_clicked_7d";
    public static final String EMAILS_CLICKED_90D = "emails_clicked_90d";
    public static final String EMAILS_REPLIED_30D = "emails_replied_30d";
    public static final String CLICK_TO_OPEN_30D = "click_to_open_30d";
    public static final String EMAILS_REPLIED_7D = "emails_replied_7d";
    public static final String EMAILS_REPLIED_90D = "emails_replied_90d";
    public static final String CLICK_TO_OPEN_7D = "click_to_open_7d";
    public static final String CLICK_TO_OPEN_90D = "click_to_open_90d";
    /** Absent when the subscriber never clicked. */
    public static final String DAYS_SINCE_LAST_CLICK = "days_since_last_click";
    /** Absent when the subscriber never ordered. */
    public static final String DAYS_SINCE_LAST_ORDER = "days_since_last_order";
    public static final String ORDERS_365D = "orders_365d";
    public static final String REVENUE_365D = "revenue_365d";
    /** Absent when there was no order in 365 days. */
    public static final String AVERAGE_ORDER_VALUE_365D = "average_order_value_365d";
    public static final String PAGE_VIEWS_30D = "page_views_30d";
    /** Orders ever (lifetime, every kept daily and monthly row). */
    public static final String ORDERS_TOTAL = "orders_total";
    /** Order revenue ever (lifetime). */
    public static final String REVENUE_TOTAL = "revenue_total";
    public static final String ORDERS_30D = "orders_30d";
    public static final String REVENUE_30D = "revenue_30d";
    public static final String PRICING_PAGE_VIEWS_30D = "pricing_page_views_30d";
    public static final String TENURE_DAYS = "tenure_days";

    // RFM over the last 365 days (scores 1-5 are quintiles of the active customer base; 5 = best).
    // Customers = subscribers with an order in the last 365 days; non-customers have no scores. The
    // quintile boundaries are recomputed once per UTC day by feature-service (see its catalogue).
    /**
     * Absent when the subscriber never ordered. Whole UTC days since the latest day with an order in
     * the 365-day window, so also absent when the last order is older than 365 days.
     */
    public static final String RFM_RECENCY_DAYS = "rfm_recency_days";
    public static final String RFM_FREQUENCY = "rfm_frequency";
    public static final String RFM_MONETARY = "rfm_monetary";
    public static final String RFM_R_SCORE = "rfm_r_score";
    public static final String RFM_F_SCORE = "rfm_f_score";
    public static final String RFM_M_SCORE = "rfm_m_score";

    // Engagement shape
    /** How many of the subscriber's last 5 sends were opened (non-machine) or clicked: 0-5. */
    public static final String ENGAGED_SENDS_LAST_5 = "engaged_sends_last_5";
    /**
     * Least-squares slope of weekly engagement over the last 8 weeks (negative = decaying). Weekly
     * engagement = human opens + clicks; week 7 is the last 7 UTC days including today.
     */
    public static final String ENGAGEMENT_DECAY_SLOPE_8W = "engagement_decay_slope_8w";
    /**
     * Orders per 30 days over the last 365 days. Per 30 <em>observed</em> days: orders_365d * 30 /
     * (days since first seen + 1, clamped to 30..365), so a subscriber seen for a month is not diluted
     * over a year.
     */
    public static final String ORDER_FREQUENCY_365D = "order_frequency_365d";
    /** Share of events from mobile devices in 90 days (absent without device information). */
    public static final String MOBILE_SHARE_90D = "mobile_share_90d";
    public static final String PRODUCT_VIEWS_30D = "product_views_30d";

    // Account (ABM) rollups, copied onto every contact of the account; absent without an account
    /** 1 = top tier; from the account's 'tier' trait. */
    public static final String ACCOUNT_TIER = "account_tier";
    /** 1 when the account is a target account (trait 'target'), else 0. */
    public static final String ACCOUNT_TARGET = "account_target";
    /** Subscribers linked to the account. */
    public static final String ACCOUNT_CONTACTS = "account_contacts";
    /** Contacts with a human open, a click, a reply or a page view in 30 days. */
    public static final String ACCOUNT_ENGAGED_CONTACTS_30D = "account_engaged_contacts_30d";
    public static final String ACCOUNT_INTENT_SIGNALS_30D = "account_intent_signals_30d";
    /** Pricing or comparison page views and pricing/comparison intent signals of the account in 30 days. */
    public static final String ACCOUNT_PRICING_INTENT_30D = "account_pricing_intent_30d";
    public static final String ACCOUNT_REVENUE_365D = "account_revenue_365d";

    /** Dynamic feature families: the prefix followed by a key (a category, a topic, a bin 0-167). */
    public static final String CATEGORY_SHARE_90D_PREFIX = "category_share_90d.";
    public static final String ACCOUNT_INTENT_30D_PREFIX = "account_intent_30d.";
    /** Hour-of-week engagement counts (0 = Monday 00:00 UTC); only non-zero bins are present. */
    public static final String HOUR_OF_WEEK_ENGAGEMENT_PREFIX = "hour_of_week_engagement.";
    public static final List<String> PREFIXES = List.of(
            CATEGORY_SHARE_90D_PREFIX, ACCOUNT_INTENT_30D_PREFIX, HOUR_OF_WEEK_ENGAGEMENT_PREFIX);

    // Categorical features, carried in FeatureVector#labels
    /** One of {@link #RFM_GROUPS}; absent for subscribers who never ordered. */
    public static final String RFM_GROUP = "rfm_group";
    /** One of new, active, at_risk, lapsed, dormant (rule in feature-service's catalogue). */
    public static final String LIFECYCLE_STAGE = "lifecycle_stage";
    public static final String ACCOUNT_ID = "account_id";
    public static final String TIMEZONE = "timezone";
    public static final List<String> LABELS = List.of(RFM_GROUP, LIFECYCLE_STAGE, ACCOUNT_ID, TIMEZONE);

    public static final List<String> RFM_GROUPS = List.of(
            "Champions", "Loyal", "Potential", "New", "At Risk", "Hibernating", "Lost");

    /** Every feature feature-service publishes; rules may use any of them. New names are appended. */
    public static final List<String> ALL = List.of(
            EMAILS_DELIVERED_30D, EMAILS_OPENED_30D, EMAILS_CLICKED_30D,
            DAYS_SINCE_LAST_OPEN, ORDERS_90D, REVENUE_90D,
            UNSUBSCRIBED, COMPLAINED, HARD_BOUNCED, EMAIL_CONSENT, SUPPRESSED,
            EMAILS_SENT_7D, EMAILS_SENT_30D, EMAILS_SENT_90D, EMAILS_OPENED_7D, EMAILS_OPENED_90D,
            EMAILS_CLICKED_7D, EMAILS_CLICKED_90D, EMAILS_REPLIED_30D, CLICK_TO_OPEN_30D,
            DAYS_SINCE_LAST_CLICK, DAYS_SINCE_LAST_ORDER, ORDERS_365D, REVENUE_365D, AVERAGE_ORDER_VALUE_365D,
            PAGE_VIEWS_30D, PRICING_PAGE_VIEWS_30D, TENURE_DAYS,
            RFM_RECENCY_DAYS, RFM_FREQUENCY, RFM_MONETARY, RFM_R_SCORE, RFM_F_SCORE, RFM_M_SCORE,
            ENGAGED_SENDS_LAST_5, ENGAGEMENT_DECAY_SLOPE_8W, ORDER_FREQUENCY_365D, MOBILE_SHARE_90D,
            PRODUCT_VIEWS_30D, ACCOUNT_TIER, ACCOUNT_TARGET, ACCOUNT_CONTACTS, ACCOUNT_ENGAGED_CONTACTS_30D,
            ACCOUNT_INTENT_SIGNALS_30D, ACCOUNT_PRICING_INTENT_30D, ACCOUNT_REVENUE_365D,
            EMAILS_REPLIED_7D, EMAILS_REPLIED_90D, CLICK_TO_OPEN_7D, CLICK_TO_OPEN_90D,
            ORDERS_TOTAL, REVENUE_TOTAL, ORDERS_30D, REVENUE_30D);

    /** Whether a numeric feature name is known: one of {@link #ALL} or a key under one of {@link #PREFIXES}. */
    public static boolean isKnownNumeric(String name) {
        if (ALL.contains(name)) {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The behavioural features the default clustering is trained on. Kept apart from {@link #ALL} so
     * that publishing a new feature never silently changes what an existing clustering means.
     */
    public static final List<String> BEHAVIOURAL_CLUSTERING = List.of(
            EMAILS_DELIVERED_30D, EMAILS_OPENED_30D, EMAILS_CLICKED_30D,
            DAYS_SINCE_LAST_OPEN, ORDERS_90D, REVENUE_90D);

    private FeatureNames() {
    }
}
