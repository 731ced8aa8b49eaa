package io.visionfleet.common.api;

/** Who may use a route (docs/security.md): anyone, whoever holds the viewer's or the operator's credential, or the operator only. */
public enum AccessRole {
    /** Anyone who reaches the port: health, metrics, the dashboard page, the session's status and logout, and publishers (who bring their own video credentials). */
    PUBLIC,
    /** The viewer's or the operator's credential: live and recorded video, results, status; logging in with either. */
    VIEWER,
    /** The operator's credential (the fleet token): everything that changes something. */
    OPERATOR
}
