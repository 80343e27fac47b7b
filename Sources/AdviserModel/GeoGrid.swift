import Foundation

/// Places bucketed on a latitude/longitude grid, to find those within a distance of a point without
/// measuring the distance to every one: at national scale an adviser can reach a few hundred of 22,000
/// schools.
///
/// `candidates(near:into:)` over-includes and never misses: it returns every place whose
/// `GeoPoint.kilometres` to the point is at most the radius, and others besides, so callers still make
/// the exact check. Cells are at least as tall and wide as any such pair can differ (with a margin for
/// rounding), so the 3 x 3 cells about the point hold them all:
/// - latitude: the haversine distance is at least R |Δφ|, so |Δφ| <= radius / R;
/// - longitude: the distance is at least 2R asin(cos φmax sin(|Δλ|/2)), where φmax is the largest
///   |latitude| either point can have, so |Δλ| <= 2 asin(radius / (2R cos φmax)) while |Δλ| <= 180°.
/// A place the grid cannot bucket (not finite, or off the globe) is returned for every point, and a point
/// it cannot place gets every place: both are checked exactly, as before.
public struct GeoGrid: Sendable {
    let count: Int
    let minLatitude: Double, minLongitude: Double
    let cellLatitude: Double, cellLongitude: Double
    let rows: Int, columns: Int
    /// Places of cell c are cellPlaces[cellStart[c] ..< cellStart[c + 1]], ascending.
    let cellStart: [Int32]
    let cellPlaces: [Int32]
    /// Places off the grid: returned for every point.
    let everywhere: [Int32]
    /// Longitudes of the gridded places span [minPlaceLongitude, maxPlaceLongitude].
    let minPlaceLongitude: Double, maxPlaceLongitude: Double

    static let earthRadiusKm = 6371.0088
    /// Cells 1% larger than the bound, so rounding in the distance or the cell index cannot lose a place.
    static let margin = 1.01

    /// nil when a grid would not help (the radius spans the whole area, or is not a finite distance):
    /// check every place instead.
    public init?(places: [GeoPoint], withinKilometres radius: Double) {
        let r = GeoGrid.earthRadiusKm
        guard radius.isFinite, radius >= 0, radius < .pi * r / 2, places.count < Int(Int32.max) else { return nil }
        var gridded: [Int] = [], everywhere: [Int32] = []
        for (i, p) in places.enumerated() {
            if GeoGrid.canPlace(p) { gridded.append(i) } else { everywhere.append(Int32(i)) }
        }
        guard let first = gridded.first else { return nil }
        var minLat = places[first].latitude, maxLat = minLat, minLon = places[first].longitude, maxLon = minLon
        var maxAbsLat = 0.0
        for i in gridded {
            let p = places[i]
            minLat = min(minLat, p.latitude); maxLat = max(maxLat, p.latitude)
            minLon = min(minLon, p.longitude); maxLon = max(maxLon, p.longitude)
            maxAbsLat = max(maxAbsLat, abs(p.latitude))
        }
        let degrees = 180 / Double.pi
        var cellLat = radius / r * degrees * GeoGrid.margin + 1e-9
        // A point within the radius of a place is at most cellLat further from the equator than the place.
        let phiMax = min(90, maxAbsLat + cellLat) / degrees
        let ratio = radius / (2 * r * cos(phiMax))
        // nil: longitude does not narrow the search (near a pole, or a radius as wide as a hemisphere).
        var cellLon: Double? = cos(phiMax) > 0 && ratio < 1 ? 2 * asin(ratio) * degrees * GeoGrid.margin + 1e-9 : nil
        let latSpan = maxLat - minLat, lonSpan = maxLon - minLon
        func cells(_ span: Double, _ size: Double?) -> Double { size.map { (span / $0).rounded(.down) + 1 } ?? 1 }
        // Enough cells to narrow the search, few enough to keep the grid small when the radius is tiny.
        let most = Double(max(64, 4 * gridded.count))
        while cells(latSpan, cellLat) * cells(lonSpan, cellLon) > most {
            cellLat *= 2
            cellLon = cellLon.map { $0 * 2 }
        }
        let rows = Int(cells(latSpan, cellLat)), columns = Int(cells(lonSpan, cellLon))
        guard rows > 3 || columns > 3 else { return nil }

        count = places.count
        minLatitude = minLat; minLongitude = minLon
        cellLatitude = cellLat; cellLongitude = cellLon ?? .infinity
        self.rows = rows; self.columns = columns
        self.everywhere = everywhere
        minPlaceLongitude = minLon; maxPlaceLongitude = maxLon
        // Counting sort by cell keeps each cell's places in ascending order.
        var cellOf = [Int](repeating: 0, count: gridded.count)
        var start = [Int32](repeating: 0, count: rows * columns + 1)
        for (k, i) in gridded.enumerated() {
            let p = places[i]
            let c = GeoGrid.clamp(GeoGrid.index(p.latitude, minLat, cellLat), rows) * columns
                + GeoGrid.clamp(GeoGrid.index(p.longitude, minLon, cellLongitude), columns)
            cellOf[k] = c
            start[c + 1] += 1
        }
        for c in 0..<(rows * columns) { start[c + 1] += start[c] }
        var next = start
        var placesByCell = [Int32](repeating: 0, count: gridded.count)
        for (k, i) in gridded.enumerated() {
            placesByCell[Int(next[cellOf[k]])] = Int32(i)
            next[cellOf[k]] += 1
        }
        cellStart = start
        cellPlaces = placesByCell
    }

    /// Appends (in no particular order, without repeats) every place that may be within the radius of `point`.
    public func candidates(near point: GeoPoint, into result: inout [Int]) {
        // Beyond 180° apart in raw longitude, the haversine's sin²(Δλ/2) no longer grows with |Δλ|.
        let lonUsable = columns == 1
            || (point.longitude >= maxPlaceLongitude - 180 && point.longitude <= minPlaceLongitude + 180)
        guard GeoGrid.canPlace(point), lonUsable else {
            result.append(contentsOf: 0..<count)
            return
        }
        let row = GeoGrid.index(point.latitude, minLatitude, cellLatitude)
        let column = GeoGrid.index(point.longitude, minLongitude, cellLongitude)
        // Clamping the window as the places were clamped keeps every neighbouring place inside it.
        for r in GeoGrid.clamp(row - 1, rows)...GeoGrid.clamp(row + 1, rows) {
            let c0 = r * columns + GeoGrid.clamp(column - 1, columns), c1 = r * columns + GeoGrid.clamp(column + 1, columns)
            // The cells of one row are consecutive, so one slice covers the three of them.
            for k in Int(cellStart[c0])..<Int(cellStart[c1 + 1]) { result.append(Int(cellPlaces[k])) }
        }
        for i in everywhere { result.append(Int(i)) }
    }

    /// A place on the globe, as the haversine and the cell bounds assume.
    static func canPlace(_ p: GeoPoint) -> Bool {
        p.latitude.isFinite && p.longitude.isFinite && abs(p.latitude) <= 90 && abs(p.longitude) <= 180
    }

    /// The cell coordinate of `x`, kept within a few cells of the grid so that it converts to Int safely.
    static func index(_ x: Double, _ origin: Double, _ size: Double) -> Int {
        let t = ((x - origin) / size).rounded(.down)
        return t.isNaN ? 0 : Int(min(max(t, -4), 0x1p40))
    }

    static func clamp(_ i: Int, _ n: Int) -> Int { min(max(i, 0), n - 1) }
}
