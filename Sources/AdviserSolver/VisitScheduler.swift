import AdviserModel
import Foundation
import GLPK

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

/// Dates every visit of a plan: one small integer program per adviser, in adviser order.
///
/// For adviser a, with candidate dates D(p) for each of their pairings p (school open, adviser available):
///   full[p,d], am[p,d], pm[p,d] binary: a whole-day, morning or afternoon visit on d
///   count[p]:   sum_d full[p,d] + unplacedFull[p] = whole-day visits of p;  likewise half days
///   slot[d,h]:  sum_p full[p,d] + half[p,d,h] <= 1                      one place per half day
///   travel:     am[p,d] + pm[q,d] <= 1 when schools p and q are too far apart for the lunch break
///   week[w]:    sum full + 0.5 (am + pm) over week w <= max days per week
///   gap[p,d]:   visits of p in [d, d + min_gap_days) <= 1
///   spread[p,b] <= visits of p in half-term b                            rewarded: visits spread over the year
/// Maximise spread and preferred-weekday bonuses minus a large penalty per unplaced visit.
/// Advisers are coupled only by "one adviser visit per school per slot"; solving them in order and
/// removing slots a school already has filled keeps each program small (decomposition), at the price of
/// favouring earlier advisers when two compete for a school's last free days.
public enum VisitScheduler {
    static let unplacedPenalty = 1000.0
    static let spreadReward = 10.0
    static let preferredDayReward = 1.0

    public struct Options: Sendable {
        /// Branch-and-bound nodes per adviser; the programs are small, this only guards against pathologies.
        public var nodeLimitPerAdviser: Int = 2000
        public init() {}
    }

    /// - Parameter base: a plan whose dated visits should be kept where they are still valid (what-if): a
    ///   pairing with the same days keeps all its dates when every one of them is still open to both.
    public static func schedule(_ plan: Plan, scenario: Scenario, keeping base: Plan? = nil, options: Options = Options()) throws -> Plan {
        let calendar = ProgrammeCalendar(scenario: scenario)
        var plan = plan
        var taken: [String: Set<Slot>] = [:]  // school -> half-day slots already visited
        var dated: [Plan.Visit] = []
        var unplaced: [Plan.UnplacedVisit] = []
        let pinned = base.map { pinnedVisits(plan, base: $0, calendar: calendar) } ?? [:]
        for visits in pinned.values {
            for visit in visits { for slot in slots(of: visit, settings: scenario.visits) { taken[visit.school, default: []].insert(slot) } }
        }
        for adviser in scenario.advisers {
            let mine = plan.assignments.filter { $0.adviser == adviser.id && pinned[PairKey(adviser: $0.adviser, school: $0.school)] == nil }
                .sorted { $0.school < $1.school }
            let kept = pinned.filter { $0.key.adviser == adviser.id }.sorted { $0.key < $1.key }.flatMap(\.value)
            dated += kept
            guard !mine.isEmpty else { continue }
            let result = try scheduleAdviser(adviser, assignments: mine, scenario: scenario, calendar: calendar, taken: taken,
                                             busy: kept, options: options)
            for visit in result.visits {
                dated.append(visit.visit)
                for slot in visit.slots { taken[visit.visit.school, default: []].insert(slot) }
            }
            unplaced += result.unplaced
        }
        plan.visits = dated.sorted { ($0.date, $0.start, $0.adviser, $0.school) < ($1.date, $1.start, $1.adviser, $1.school) }
        plan.unplaced = unplaced
        return plan
    }

    /// Base visits to keep, by pairing: same days in both plans and every date still open to both.
    static func pinnedVisits(_ plan: Plan, base: Plan, calendar: ProgrammeCalendar) -> [PairKey: [Plan.Visit]] {
        var result: [PairKey: [Plan.Visit]] = [:]
        let baseVisits = Dictionary(grouping: base.visits, by: { PairKey(adviser: $0.adviser, school: $0.school) })
        for a in plan.assignments {
            let key = PairKey(adviser: a.adviser, school: a.school)
            guard let old = base.assignments.first(where: { $0.adviser == a.adviser && $0.school == a.school }),
                  old.days == a.days, old.leadDays == a.leadDays, let visits = baseVisits[key], !visits.isEmpty,
                  base.unplaced.allSatisfy({ $0.adviser != a.adviser || $0.school != a.school }),
                  visits.allSatisfy({ calendar.isOpen(school: a.school, on: $0.date) && calendar.isAvailable(adviser: a.adviser, on: $0.date) })
            else { continue }
            result[key] = visits
        }
        return result
    }

    static func slots(of visit: Plan.Visit, settings: VisitSettings) -> [Slot] {
        let n = visit.date.dayNumber
        if visit.start == settings.dayStart && visit.end == settings.dayEnd { return [Slot(day: n, afternoon: false), Slot(day: n, afternoon: true)] }
        return [Slot(day: n, afternoon: visit.start != settings.dayStart)]
    }

    struct Slot: Hashable {
        var day: Int
        var afternoon: Bool
    }

    struct DatedVisit {
        var visit: Plan.Visit
        var slots: [Slot]
    }

    static func scheduleAdviser(_ adviser: Adviser, assignments: [Plan.Assignment], scenario: Scenario, calendar: ProgrammeCalendar,
                                taken: [String: Set<Slot>], busy: [Plan.Visit] = [], options: Options) throws -> (visits: [DatedVisit], unplaced: [Plan.UnplacedVisit]) {
        let settings = scenario.visits
        // Days the adviser already has a kept visit: not offered again, and counted in the weekly limit.
        let busyDays = Set(busy.map(\.date.dayNumber))
        var busyWeekDays: [String: Double] = [:]
        for visit in busy { busyWeekDays[visit.date.isoWeekLabel, default: 0] += slots(of: visit, settings: settings).count == 2 ? 1 : 0.5 }
        var builder = ModelBuilder(name: "schedule_\(adviser.id)", direction: .maximize)
        struct PairPlan {
            var assignment: Plan.Assignment
            var needs: [VisitNeed]
            var full: Int
            var half: Int
            var dates: [CivilDate]
            var fullColumns: [Int: Int] = [:]     // day number -> column
            var amColumns: [Int: Int] = [:]
            var pmColumns: [Int: Int] = [:]
            var unplacedFull: Int?
            var unplacedHalf: Int?
        }
        var pairs: [PairPlan] = []
        for assignment in assignments {
            let needs = visits(for: assignment, halfDays: settings.halfDays)
            let full = needs.filter { $0.length == .fullDay }.count
            let half = needs.count - full
            let school = assignment.school
            let dates = calendar.schoolDays.filter { d in
                !busyDays.contains(d.dayNumber) && calendar.isOpen(school: school, on: d) && calendar.isAvailable(adviser: adviser.id, on: d)
            }
            pairs.append(PairPlan(assignment: assignment, needs: needs, full: full, half: half, dates: dates))
        }

        // Columns.
        for i in pairs.indices {
            let p = pairs[i]
            let school = p.assignment.school
            let taken = taken[school] ?? []
            for d in p.dates {
                let n = d.dayNumber
                let amFree = !taken.contains(Slot(day: n, afternoon: false))
                let pmFree = !taken.contains(Slot(day: n, afternoon: true))
                let bonus = calendar.prefers(adviser: adviser.id, weekday: d.weekday) ? preferredDayReward : 0
                if p.full > 0 && amFree && pmFree {
                    pairs[i].fullColumns[n] = builder.column("f_\(school)_\(d)", kind: .binary, lower: 0, upper: 1, objective: bonus)
                }
                if p.half > 0 {
                    if amFree { pairs[i].amColumns[n] = builder.column("am_\(school)_\(d)", kind: .binary, lower: 0, upper: 1, objective: bonus / 2) }
                    if pmFree { pairs[i].pmColumns[n] = builder.column("pm_\(school)_\(d)", kind: .binary, lower: 0, upper: 1, objective: bonus / 2) }
                }
            }
            if p.full > 0 {
                let u = builder.column("unplaced_full_\(school)", kind: .continuous, lower: 0, upper: Double(p.full), objective: -unplacedPenalty)
                pairs[i].unplacedFull = u
                let row = builder.row("count_full_\(school)", lower: Double(p.full), upper: Double(p.full))
                builder.set(row: row, column: u, 1)
                for column in pairs[i].fullColumns.values.sorted() { builder.set(row: row, column: column, 1) }
            }
            if p.half > 0 {
                let u = builder.column("unplaced_half_\(school)", kind: .continuous, lower: 0, upper: Double(p.half), objective: -unplacedPenalty / 2)
                pairs[i].unplacedHalf = u
                let row = builder.row("count_half_\(school)", lower: Double(p.half), upper: Double(p.half))
                builder.set(row: row, column: u, 1)
                for column in (Array(pairs[i].amColumns.values) + Array(pairs[i].pmColumns.values)).sorted() { builder.set(row: row, column: column, 1) }
            }
        }

        // One place per half day, and lunch-time travel between two half-day schools.
        var allDays = Set<Int>()
        for p in pairs { for d in p.dates { allDays.insert(d.dayNumber) } }
        // Settings are validated on load, so the times parse.
        let lunchMinutes = Double((minutesSinceMidnight(settings.afternoonStart) ?? 0) - (minutesSinceMidnight(settings.morningEnd) ?? 0))
        for n in allDays.sorted() {
            for afternoon in [false, true] {
                var entries: [Int] = []
                for p in pairs {
                    if let c = p.fullColumns[n] { entries.append(c) }
                    if let c = (afternoon ? p.pmColumns : p.amColumns)[n] { entries.append(c) }
                }
                if entries.count > 1 {
                    let row = builder.row("slot_\(n)_\(afternoon ? "pm" : "am")", upper: 1)
                    for c in entries { builder.set(row: row, column: c, 1) }
                }
            }
            for i in pairs.indices {
                for j in pairs.indices where i != j {
                    guard let am = pairs[i].amColumns[n], let pm = pairs[j].pmColumns[n],
                          let a = scenario.school(pairs[i].assignment.school), let b = scenario.school(pairs[j].assignment.school),
                          scenario.travel.minutes(from: a.location, to: b.location) > lunchMinutes else { continue }
                    let row = builder.row("lunch_\(n)_\(i)_\(j)", upper: 1)
                    builder.set(row: row, column: am, 1)
                    builder.set(row: row, column: pm, 1)
                }
            }
        }

        // Days per ISO week.
        let weekly = Double(calendar.maxDaysPerWeek(adviser: adviser.id))
        var weeks: [String: [(Int, Double)]] = [:]
        for p in pairs {
            for d in p.dates {
                let label = d.isoWeekLabel, n = d.dayNumber
                if let c = p.fullColumns[n] { weeks[label, default: []].append((c, 1)) }
                if let c = p.amColumns[n] { weeks[label, default: []].append((c, 0.5)) }
                if let c = p.pmColumns[n] { weeks[label, default: []].append((c, 0.5)) }
            }
        }
        for label in weeks.keys.sorted() {
            let entries = weeks[label]!
            let room = max(0, weekly - (busyWeekDays[label] ?? 0))
            guard entries.reduce(0, { $0 + $1.1 }) > room else { continue }
            let row = builder.row("week_\(label)", upper: room)
            for (c, v) in entries { builder.set(row: row, column: c, v) }
        }

        // Minimum gap between visits of one pairing, and spread over half-terms.
        let gap = max(1, settings.minGapDays)
        for p in pairs {
            let school = p.assignment.school
            let columnsByDay = p.dates.map { d -> (Int, [Int]) in
                let n = d.dayNumber
                return (n, [p.fullColumns[n], p.amColumns[n], p.pmColumns[n]].compactMap { $0 })
            }.filter { !$0.1.isEmpty }
            if gap > 1 {
                var previousLastDay = Int.min
                for (k, start) in columnsByDay.enumerated() {
                    var window: [Int] = []
                    var lastDay = start.0
                    for next in columnsByDay[k...] where next.0 < start.0 + gap {
                        window += next.1
                        lastDay = next.0
                    }
                    // A window ending on the same day as the one before is inside it: its row adds nothing.
                    defer { previousLastDay = lastDay }
                    if lastDay == previousLastDay { continue }
                    if window.count > 1 {
                        let row = builder.row("gap_\(school)_\(start.0)", upper: 1)
                        for c in window { builder.set(row: row, column: c, 1) }
                    }
                }
            }
            let visitCount = p.full + p.half
            guard visitCount > 1, calendar.blockCount > 1 else { continue }
            var byBlock: [Int: [Int]] = [:]
            for (n, columns) in columnsByDay {
                if let b = calendar.block(of: CivilDate(dayNumber: n)) { byBlock[b, default: []] += columns }
            }
            for b in byBlock.keys.sorted() {
                let s = builder.column("spread_\(school)_\(b)", kind: .binary, lower: 0, upper: 1, objective: spreadReward)
                let row = builder.row("spread_\(school)_\(b)", upper: 0)
                builder.set(row: row, column: s, 1)
                for c in byBlock[b]! { builder.set(row: row, column: c, -1) }
            }
        }

        let model = builder.model
        var solveOptions = SolveOptions()
        solveOptions.nodeLimit = options.nodeLimitPerAdviser
        // Measured on knowsley-pathways (383 visits, release build): the feasibility pump costs more than it
        // finds on these near-integral programs (1.1-1.4 s with it, 0.4 s without); every adviser still
        // solves at the root node.
        solveOptions.feasibilityPump = false
        let solution = try GLPKSolver.solve(model, options: solveOptions)
        guard solution.status == .optimal || solution.status == .feasible else {
            let reason = "the scheduler found no dates for this adviser (\(solution.status.rawValue))"
            return ([], pairs.map { Plan.UnplacedVisit(adviser: adviser.id, school: $0.assignment.school, count: $0.needs.count, reason: reason) })
        }
        let values = solution.columnValues
        var result: [DatedVisit] = []
        var unplaced: [Plan.UnplacedVisit] = []
        for p in pairs {
            var fullDays = p.fullColumns.filter { values[$0.value] > 0.5 }.map(\.key).sorted()
            var halfDays = (p.amColumns.filter { values[$0.value] > 0.5 }.map { ($0.key, false) }
                + p.pmColumns.filter { values[$0.value] > 0.5 }.map { ($0.key, true) }).sorted { $0.0 < $1.0 }
            // Hand out the visits' areas in date order: whole days in order, then the half day.
            var fullNeeds = p.needs.filter { $0.length == .fullDay }
            var halfNeeds = p.needs.filter { $0.length == .halfDay }
            while let n = fullDays.first, let need = fullNeeds.first {
                fullDays.removeFirst(); fullNeeds.removeFirst()
                result.append(DatedVisit(
                    visit: Plan.Visit(adviser: adviser.id, school: p.assignment.school, date: CivilDate(dayNumber: n),
                                      start: settings.dayStart, end: settings.dayEnd, areas: need.areas),
                    slots: [Slot(day: n, afternoon: false), Slot(day: n, afternoon: true)]))
            }
            while let (n, afternoon) = halfDays.first, let need = halfNeeds.first {
                halfDays.removeFirst(); halfNeeds.removeFirst()
                result.append(DatedVisit(
                    visit: Plan.Visit(adviser: adviser.id, school: p.assignment.school, date: CivilDate(dayNumber: n),
                                      start: afternoon ? settings.afternoonStart : settings.dayStart,
                                      end: afternoon ? settings.dayEnd : settings.morningEnd, areas: need.areas),
                    slots: [Slot(day: n, afternoon: afternoon)]))
            }
            let missing = fullNeeds.count + halfNeeds.count
            if missing > 0 {
                unplaced.append(Plan.UnplacedVisit(adviser: adviser.id, school: p.assignment.school, count: missing,
                                                   reason: explainUnplaced(p.dates, needed: p.needs.count, gap: gap, adviser: adviser,
                                                                           school: p.assignment.school, calendar: calendar)))
            }
        }
        return (result, unplaced)
    }

    /// Why a pairing's visits did not all fit: too few open dates, the gap rule, or the adviser's other visits.
    static func explainUnplaced(_ dates: [CivilDate], needed: Int, gap: Int, adviser: Adviser, school: String,
                                calendar: ProgrammeCalendar) -> String {
        if dates.isEmpty {
            return "no date in the programme is both a working day for \(adviser.id) and a day \(school) is open"
        }
        var fit = 0, last: Int?
        for d in dates where last == nil || d.dayNumber >= last! + gap {
            fit += 1
            last = d.dayNumber
        }
        if fit < needed {
            return "only \(fit) of the \(dates.count) dates open to both are at least \(gap) days apart; \(needed) visits are needed"
        }
        return "\(adviser.id)'s other visits and weekly limit of \(calendar.maxDaysPerWeek(adviser: adviser.id)) days, or other advisers' visits to \(school), leave no room"
    }
}
