package io.cohort.contracts;

/** Event names feature-service understands: Segment's email and e-commerce specs plus Cohort's own. */
public final class CanonicalEvents {
    public static final String EMAIL_SENT = "Email Sent";
    public static final String EMAIL_DELIVERED = "Email Delivered";
    public static final String EMAIL_OPENED = "Email Opened";
    public static final String EMAIL_LINK_CLICKED = "Email Link Clicked";
    public static final String EMAIL_REPLIED = "Email Replied";
    public static final String EMAIL_BOUNCED = "Email Bounced";
    public static final String EMAIL_MARKED_AS_SPAM = "Email Marked as Spam";
    public static final String UNSUBSCRIBED = "Unsubscribed";
    public static final String ORDER_COMPLETED = "Order Completed";
    public static final String PRODUCT_VIEWED = "Product Viewed";
    public static final String INTENT_SIGNAL = "Intent Signal";
    public static final String CONSENT_UPDATED = "Consent Updated";

    private CanonicalEvents() {
    }
}
