/// One visit to be dated: a whole day or half a day of an adviser-school pairing, with the areas it serves.
struct VisitNeed: Sendable, Equatable {
    var length: VisitLength
    var areas: [String]
}

public enum VisitLength: String, Sendable, Codable {
    case fullDay = "full-day"
    case halfDay = "half-day"
    var days: Double { self == .fullDay ? 1 : 0.5 }
}

/// Splits an assignment's days into visits: whole days, and one half day for a trailing half (a whole
/// day when the scenario does not allow half days). Areas are laid out in order (lead days first), so a
/// visit serves the areas whose days fall on it.
func visits(for assignment: Plan.Assignment, halfDays: Bool) -> [VisitNeed] {
    var chunks: [(area: String, days: Double)] = []
    if assignment.leadDays > 0 { chunks.append(("lead", assignment.leadDays)) }
    for area in assignment.days.keys.sorted() { chunks.append((area, assignment.days[area]!)) }
    let total = chunks.reduce(0) { $0 + $1.days }
    guard total > 0 else { return [] }
    var lengths = [VisitLength](repeating: .fullDay, count: Int(total.rounded(.down)))
    if total - total.rounded(.down) > 1e-9 { lengths.append(halfDays ? .halfDay : .fullDay) }
    var result: [VisitNeed] = []
    var position = 0.0  // days laid out so far
    var edges: [(start: Double, end: Double, area: String)] = []
    for chunk in chunks {
        edges.append((position, position + chunk.days, chunk.area))
        position += chunk.days
    }
    var cursor = 0.0
    for length in lengths {
        let from = cursor, to = min(total, cursor + length.days)
        let areas = edges.filter { $0.start < to - 1e-9 && $0.end > from + 1e-9 }.map(\.area)
        result.append(VisitNeed(length: length, areas: areas))
        cursor = to
    }
    return result
}
