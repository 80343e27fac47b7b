import AdviserModel

/// Dates every visit of a plan, one adviser after another in id order.
///
/// Advisers are coupled only by "one adviser visit per school per half day": each adviser sees the slots
/// earlier advisers took at their schools, which keeps each adviser's problem small (decomposition), at
/// the price of favouring earlier advisers when two compete for a school's last free days. Each adviser's
/// visits are dated by a constructive pass (`VisitConstruction`), which usually reaches the upper bound
/// (`VisitProblem.upperBound`) and so is proven best; when it does not, the integer program
/// (`VisitProgram`) re-dates two half-term blocks at a time, starting from its dates.
public enum VisitScheduler {
    public struct Options: Sendable {
        /// Branch-and-bound nodes per window program. Each starts from dates that keep every rule, so a
        /// stop only forgoes an improvement; on overloaded advisers a window can run to thousands of nodes
        /// for a gain of one half-term block.
        public var nodeLimitPerWindow: Int = 200
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
        // Looked up once: the lunch-time travel rule needs every pair of an adviser's schools.
        let schools = Dictionary(scenario.schools.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let pinned = base.map { pinnedVisits(plan, base: $0, calendar: calendar) } ?? [:]
        for visits in pinned.values {
            for visit in visits { for slot in slots(of: visit, settings: scenario.visits) { taken[visit.school, default: []].insert(slot) } }
        }
        let open = Dictionary(grouping: plan.assignments.filter { pinned[PairKey(adviser: $0.adviser, school: $0.school)] == nil }, by: \.adviser)
        let keptPairs = Dictionary(grouping: pinned.keys.sorted(), by: \.adviser)
        for adviser in scenario.advisers {
            let mine = (open[adviser.id] ?? []).sorted { $0.school < $1.school }
            let kept = (keptPairs[adviser.id] ?? []).flatMap { pinned[$0]! }
            dated += kept
            guard !mine.isEmpty else { continue }
            let problem = VisitProblem(adviser: adviser.id, assignments: mine, scenario: scenario, calendar: calendar,
                                       schools: schools, taken: taken, busy: kept)
            let result = try scheduleAdviser(problem, settings: scenario.visits, calendar: calendar, options: options)
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
        let baseAssignments = Dictionary(base.assignments.map { (PairKey(adviser: $0.adviser, school: $0.school), $0) }, uniquingKeysWith: { first, _ in first })
        let baseUnplaced = Set(base.unplaced.map { PairKey(adviser: $0.adviser, school: $0.school) })
        for a in plan.assignments {
            let key = PairKey(adviser: a.adviser, school: a.school)
            guard let old = baseAssignments[key], old.days == a.days, old.leadDays == a.leadDays,
                  let visits = baseVisits[key], !visits.isEmpty, !baseUnplaced.contains(key),
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

    /// Dates one adviser's visits: the constructive pass, then, only while it falls short of the upper
    /// bound, the program over each window of the year in turn, starting from the dates so far.
    static func scheduleAdviser(_ problem: VisitProblem, settings: VisitSettings, calendar: ProgrammeCalendar,
                                options: Options) throws -> (visits: [DatedVisit], unplaced: [Plan.UnplacedVisit]) {
        let bound = problem.upperBound
        var dates = VisitConstruction.dates(for: problem, bound: bound)
        var score = problem.score(dates)
        for window in windows(problem) where score < bound - 1e-9 {
            if let better = try VisitProgram.dates(for: problem, start: dates, window: window, nodeLimit: options.nodeLimitPerWindow),
               problem.score(better) > score + 1e-9 {
                dates = better
                score = problem.score(better)
            }
        }
        return record(dates, of: problem, settings: settings, calendar: calendar)
    }

    /// The plan's view of one adviser's dates: visits with their times and areas, and what is left unplaced.
    static func record(_ dates: [[VisitProblem.Placement]], of problem: VisitProblem, settings: VisitSettings,
                       calendar: ProgrammeCalendar) -> (visits: [DatedVisit], unplaced: [Plan.UnplacedVisit]) {
        var result: [DatedVisit] = []
        var unplaced: [Plan.UnplacedVisit] = []
        for (p, pairing) in problem.pairings.enumerated() {
            let placed = dates[p].sorted { $0.day < $1.day }
            var fullDays = placed.filter { $0.part == .full }.map { problem.days[$0.day].number }
            var halfDays = placed.filter { $0.part != .full }.map { (problem.days[$0.day].number, $0.part == .afternoon) }
            // Hand out the visits' areas in date order: whole days in order, then the half day.
            var fullNeeds = pairing.needs.filter { $0.length == .fullDay }
            var halfNeeds = pairing.needs.filter { $0.length == .halfDay }
            while let n = fullDays.first, let need = fullNeeds.first {
                fullDays.removeFirst(); fullNeeds.removeFirst()
                result.append(DatedVisit(
                    visit: Plan.Visit(adviser: problem.adviser, school: pairing.school, date: CivilDate(dayNumber: n),
                                      start: settings.dayStart, end: settings.dayEnd, areas: need.areas),
                    slots: [Slot(day: n, afternoon: false), Slot(day: n, afternoon: true)]))
            }
            while let (n, afternoon) = halfDays.first, let need = halfNeeds.first {
                halfDays.removeFirst(); halfNeeds.removeFirst()
                result.append(DatedVisit(
                    visit: Plan.Visit(adviser: problem.adviser, school: pairing.school, date: CivilDate(dayNumber: n),
                                      start: afternoon ? settings.afternoonStart : settings.dayStart,
                                      end: afternoon ? settings.dayEnd : settings.morningEnd, areas: need.areas),
                    slots: [Slot(day: n, afternoon: afternoon)]))
            }
            let missing = fullNeeds.count + halfNeeds.count
            if missing > 0 {
                let open = pairing.options.map { CivilDate(dayNumber: problem.days[$0.day].number) }
                unplaced.append(Plan.UnplacedVisit(adviser: problem.adviser, school: pairing.school, count: missing,
                                                   reason: explainUnplaced(open, needed: pairing.needs.count, gap: problem.gap,
                                                                           adviser: problem.adviser, school: pairing.school, calendar: calendar)))
            }
        }
        return (result, unplaced)
    }

    /// Day ranges the program re-dates in turn: two neighbouring half-term blocks at a time, so a visit can
    /// move into the next block. (One block at a time was cheaper but missed moves the pairs find; the
    /// whole year at once costs seconds per adviser.)
    static func windows(_ problem: VisitProblem) -> [Range<Int>] {
        var blocks: [Range<Int>] = []
        var start = 0
        for d in problem.days.indices.dropFirst() where problem.days[d].block != problem.days[d - 1].block {
            blocks.append(start..<d)
            start = d
        }
        blocks.append(start..<problem.days.count)
        guard blocks.count > 1 else { return blocks }
        return (1..<blocks.count).map { blocks[$0 - 1].lowerBound..<blocks[$0].upperBound }
    }

    /// Why a pairing's visits did not all fit: too few open dates, the gap rule, or the adviser's other visits.
    static func explainUnplaced(_ dates: [CivilDate], needed: Int, gap: Int, adviser: String, school: String,
                                calendar: ProgrammeCalendar) -> String {
        if dates.isEmpty {
            return "no date in the programme is both a working day for \(adviser) and a day \(school) is open"
        }
        let fit = VisitProblem.earliestFirst(dates.map(\.dayNumber), gap: gap).count
        if fit < needed {
            return "only \(fit) of the \(dates.count) dates open to both are at least \(gap) days apart; \(needed) visits are needed"
        }
        return "\(adviser)'s other visits and weekly limit of \(calendar.maxDaysPerWeek(adviser: adviser)) days, or other advisers' visits to \(school), leave no room"
    }
}
