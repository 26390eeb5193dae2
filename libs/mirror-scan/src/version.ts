/** Sent in User-Agent headers (`Mirrorball/<version> TRACE`, `… SCAN`). */
export const MIRRORBALL_VERSION = '0.1.0';
