const f32 = Math.fround;
const EARTH_RADIUS_KM = f32(6371);
/** π/180 held as a float32 constant: this reproduces Mirrorbits' printed distances to the last digit. */
const DEG_TO_RAD = f32(Math.PI / 180);

/**
 * Great-circle distance in km as Mirrorbits computes it (contract §3.1): float32 inputs,
 * float32 degree→radian conversion, float64 trigonometry, float32 result.
 */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const la1 = f32(lat1);
  const la2 = f32(lat2);
  const dLat = f32(f32(la2 - la1) * DEG_TO_RAD);
  const dLon = f32(f32(f32(lon2) - f32(lon1)) * DEG_TO_RAD);
  const sLat = Math.sin(f32(dLat / 2));
  const sLon = Math.sin(f32(dLon / 2));
  const a = sLat * sLat + Math.cos(f32(la1 * DEG_TO_RAD)) * Math.cos(f32(la2 * DEG_TO_RAD)) * sLon * sLon;
  const c = 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  return f32(EARTH_RADIUS_KM * f32(c));
}
