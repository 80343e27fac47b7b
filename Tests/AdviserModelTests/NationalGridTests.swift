import Foundation
import Testing
@testable import AdviserModel

/// Metres between two WGS84 points (haversine on the mean radius; ample for errors of a few metres).
private func metres(_ a: GeoPoint, _ b: GeoPoint) -> Double { a.kilometres(to: b) * 1000 }

private func degrees(_ d: Double, _ m: Double, _ s: Double) -> Double { d + m / 60 + s / 3600 }

/// OS's OSTN15 test points (OSTN15_OSGM15_TestInput_OSGBtoETRS / TestOutput, Crown copyright): grid positions
/// with their exact ETRS89 latitude and longitude, which WGS84 follows to under a metre. The Helmert
/// transformation must land within a few metres of each.
private let testPoints: [(name: String, easting: Double, northing: Double, latitude: Double, longitude: Double, metres: Double)] = [
    ("TP01 St Mary's, Scilly", 91_492.146, 11_318.804, 49.92226393730, -6.29977752014, 5),
    ("TP02 Lizard Point Lighthouse", 170_370.718, 11_572.405, 49.96006137820, -5.20304609998, 5),
    ("TP03 Plymouth", 250_359.811, 62_016.569, 50.43885825610, -4.10864563561, 3),
    ("TP04 St Catherine's Point Lighthouse", 449_816.371, 75_335.861, 50.57563665000, -1.29782277240, 2),
    ("TP05 former OS headquarters, Southampton", 438_710.920, 114_792.250, 50.93127937910, -1.45051433700, 2),
    ("TP07 North Foreland Lighthouse", 639_821.835, 169_565.858, 51.37447025550, 1.44454730409, 3),
    ("TP08 Brislington", 362_269.991, 169_978.690, 51.42754743020, -2.54407618349, 2),
    ("TP09 Lambeth", 530_624.974, 178_388.464, 51.48936564950, -0.11992557180, 2),
    ("TP11 Colchester", 599_445.590, 225_722.826, 51.89436637350, 0.89724327012, 3),
    ("TP13 Northampton", 474_335.969, 262_047.755, 52.25160951230, -0.91248956970, 3),
    ("TP15 Nottingham", 454_002.834, 340_834.943, 52.96219109410, -1.19747655922, 3),
    ("TP16 STFC, Daresbury", 357_455.843, 383_290.436, 53.34480280190, -2.64049320810, 2),
    ("TP20 Pudsey", 422_242.186, 433_818.701, 53.80021519630, -1.66379168242, 2),
    ("TP25 Newcastle University", 424_639.355, 565_012.703, 54.97912273660, -1.61657685184, 2),
    ("TP27 Sighthill, Edinburgh", 319_188.434, 670_947.534, 55.92478265510, -3.29479219337, 2),
    ("TP30 Inverness", 267_056.768, 846_176.972, 57.48625000720, -4.21926398555, 3),
    ("TP39 Sumburgh Head", 440_725.073, 1_107_878.448, 59.85409913890, -1.27486910356, 2),
]

@Suite struct NationalGridTests {
    /// Ordnance Survey's worked example (A guide to coordinate systems in Great Britain, annex C.2):
    /// E 651409.903, N 313177.270 is 52°39'27.2531"N 1°43'4.5177"E on OSGB36.
    @Test func inverseProjectionMatchesTheWorkedExample() {
        let (lat, lon) = NationalGrid.osgb36(easting: 651_409.903, northing: 313_177.270)
        // 0.0001" is 3 mm: the guide prints four decimals of a second.
        #expect(abs(lat - degrees(52, 39, 27.2531)) * 3600 < 0.0001)
        #expect(abs(lon - degrees(1, 43, 4.5177)) * 3600 < 0.0001)
    }

    /// The forward projection (annex C.1) takes the example's latitude and longitude back to its grid position,
    /// and every grid position back to itself: to 1 mm near the central meridian, to a few millimetres 400 km
    /// from it, where the series are truncated (St Kilda and the grid's corners).
    @Test func projectionRoundTrips() {
        let (e, n) = NationalGrid.grid(osgb36Latitude: degrees(52, 39, 27.2531), longitude: degrees(1, 43, 4.5177))
        #expect(abs(e - 651_409.903) < 0.005)
        #expect(abs(n - 313_177.270) < 0.005)
        let points: [(Double, Double, Double)] = [(438_710.920, 114_792.250, 0.001), (395_999.668, 1_138_728.951, 0.001),
                                                  (91_492.146, 11_318.804, 0.002), (9_587.909, 899_448.996, 0.005),
                                                  (0, 0, 0.002), (700_000, 1_300_000, 0.002)]
        for (east, north, tolerance) in points {
            let (lat, lon) = NationalGrid.osgb36(easting: east, northing: north)
            let back = NationalGrid.grid(osgb36Latitude: lat, longitude: lon)
            #expect(abs(back.easting - east) < tolerance && abs(back.northing - north) < tolerance, "\(east), \(north)")
        }
    }


    @Test(arguments: testPoints.indices)
    func wgs84IsWithinAFewMetresOfOrdnanceSurvey(_ i: Int) {
        let p = testPoints[i]
        let got = NationalGrid.wgs84(easting: p.easting, northing: p.northing)
        let error = metres(got, GeoPoint(latitude: p.latitude, longitude: p.longitude))
        #expect(error < p.metres, "\(p.name): \(error) m")
    }

    /// Without the datum shift the answer would be OSGB36 latitude and longitude, 118 m out in Southampton: the
    /// test points above catch a missing or reversed Helmert step, and so does this.
    @Test func theDatumShiftIsApplied() {
        let (lat, lon) = NationalGrid.osgb36(easting: 438_710.920, northing: 114_792.250)
        let osgb = GeoPoint(latitude: lat, longitude: lon)
        let wgs = NationalGrid.wgs84(easting: 438_710.920, northing: 114_792.250)
        #expect(metres(osgb, wgs) > 90 && metres(osgb, wgs) < 130)
        // Here WGS84 puts the same spot about 2" north and 5" west of its OSGB36 latitude and longitude.
        #expect(wgs.latitude > lat && wgs.longitude < lon)
    }

    /// Cartesian round trip on each ellipsoid: the B.1 and B.2 formulas invert each other.
    @Test func cartesianRoundTrip() {
        for ellipsoid in [NationalGrid.airy1830, NationalGrid.wgs84Ellipsoid] {
            let p = NationalGrid.cartesian(latitude: 53.4, longitude: -2.9, on: ellipsoid)
            let (lat, lon) = NationalGrid.geodetic(p, on: ellipsoid)
            #expect(abs(lat - 53.4) < 1e-10 && abs(lon + 2.9) < 1e-10)
        }
    }
}
