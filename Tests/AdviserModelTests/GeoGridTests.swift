import Foundation
import Testing
@testable import AdviserModel

/// The grid may return more places than are within the radius, never fewer.
@Suite struct GeoGridTests {
    func expectNoneMissed(_ places: [GeoPoint], _ queries: [GeoPoint], radius: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let grid = GeoGrid(places: places, withinKilometres: radius) else { return }
        var found: [Int] = []
        for q in queries {
            found.removeAll()
            grid.candidates(near: q, into: &found)
            #expect(Set(found).count == found.count, "a place is returned twice", sourceLocation: sourceLocation)
            let returned = Set(found)
            for (i, p) in places.enumerated() where q.kilometres(to: p) <= radius && !returned.contains(i) {
                Issue.record("place \(i) \(p) is \(q.kilometres(to: p)) km from \(q), within \(radius) km, but not returned",
                             sourceLocation: sourceLocation)
            }
        }
    }

    @Test func englandAtManyRadii() {
        var rng = SplitMix64(seed: 9)
        let places = (0..<2000).map { _ in GeoPoint(latitude: rng.uniform(49.9, 55.9), longitude: rng.uniform(-6, 1.8)) }
        let queries = (0..<300).map { _ in GeoPoint(latitude: rng.uniform(49, 57), longitude: rng.uniform(-7, 3)) }
        for radius in [0.0, 0.5, 3, 12, 30.77, 50, 150] {
            #expect(radius > 100 || GeoGrid(places: places, withinKilometres: radius) != nil)
            expectNoneMissed(places, queries, radius: radius)
        }
    }

    @Test func theWholeGlobe() {
        var rng = SplitMix64(seed: 10)
        var places = (0..<1500).map { _ in GeoPoint(latitude: rng.uniform(-90, 90), longitude: rng.uniform(-180, 180)) }
        places += [GeoPoint(latitude: 90, longitude: 0), GeoPoint(latitude: -90, longitude: 180), GeoPoint(latitude: 0, longitude: -180),
                   GeoPoint(latitude: .nan, longitude: 1), GeoPoint(latitude: 100, longitude: 1), GeoPoint(latitude: 1, longitude: 400)]
        var queries = (0..<200).map { _ in GeoPoint(latitude: rng.uniform(-90, 90), longitude: rng.uniform(-180, 180)) }
        queries += [GeoPoint(latitude: 89.99, longitude: 0), GeoPoint(latitude: 0, longitude: 179.99), GeoPoint(latitude: 0, longitude: -179.99),
                    GeoPoint(latitude: .infinity, longitude: 0)]
        for radius in [10.0, 100, 500, 2000] { expectNoneMissed(places, queries, radius: radius) }
    }

    @Test func noGridWhenItCannotHelp() {
        let places = [GeoPoint(latitude: 52, longitude: 0), GeoPoint(latitude: 52.1, longitude: 0.1)]
        #expect(GeoGrid(places: places, withinKilometres: 100) == nil)       // everything in one cell
        #expect(GeoGrid(places: places, withinKilometres: .infinity) == nil)
        #expect(GeoGrid(places: places, withinKilometres: .nan) == nil)
        #expect(GeoGrid(places: places, withinKilometres: -1) == nil)
        #expect(GeoGrid(places: [], withinKilometres: 10) == nil)
    }
}
