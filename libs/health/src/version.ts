/**
 * User-Agent of health checks. Mirrorbits sends `Mirrorbits/<version> PING CHECK`; Mirrorball
 * keeps the same shape with its own name so mirror admins can tell the two apart in their logs.
 * Admins who filter monitoring traffic usually match `PING CHECK`, which is unchanged.
 */
export const MIRRORBALL_VERSION = '0.1.0';
export const HEALTH_USER_AGENT = `Mirrorball/${MIRRORBALL_VERSION} PING CHECK`;
