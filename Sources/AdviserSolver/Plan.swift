import AdviserModel
import Foundation

/// The result of planning: who advises which school (and, once scheduled, when). This is the JSON plan
/// file format: fields may be added, never renamed.
public struct Plan: Codable, Sendable, Equatable {
    public static let formatName = "adviser-planner plan"
    public static let formatVersion = 1

    public struct ScenarioReference: Codable, Sendable, Equatable {
        public var name: String
        /// SHA-256 over the input files; `check` refuses a plan made from other inputs.
        public var fingerprint: String
        public var start: CivilDate?
        public var end: CivilDate?
        public var budget: Double?
        public init(name: String, fingerprint: String, start: CivilDate? = nil, end: CivilDate? = nil, budget: Double? = nil) {
            self.name = name; self.fingerprint = fingerprint; self.start = start; self.end = end; self.budget = budget
        }
    }

    /// Who the advisers are, so that views of a plan need no scenario folder.
    public struct AdviserInfo: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var role: String
        public var capacityDays: Double
        public var maxSchools: Int
        public var dayRate: Double
        /// The adviser's base (WGS84), for the report's map; nil in plans written before it was stored.
        public var homeLatitude: Double?
        public var homeLongitude: Double?
        public init(id: String, name: String, role: String, capacityDays: Double, maxSchools: Int, dayRate: Double,
                    homeLatitude: Double? = nil, homeLongitude: Double? = nil) {
            self.id = id; self.name = name; self.role = role; self.capacityDays = capacityDays; self.maxSchools = maxSchools; self.dayRate = dayRate
            self.homeLatitude = homeLatitude; self.homeLongitude = homeLongitude
        }
        enum CodingKeys: String, CodingKey {
            case id, name, role
            case capacityDays = "capacity_days"
            case maxSchools = "max_schools"
            case dayRate = "day_rate"
            case homeLatitude = "home_latitude"
            case homeLongitude = "home_longitude"
        }
    }

    public struct SchoolInfo: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var phase: Phase
        public var localAuthority: String
        public var disadvantagedPct: Double
        /// WGS84, for the report's map; nil in plans written before it was stored.
        public var latitude: Double?
        public var longitude: Double?
        public init(id: String, name: String, phase: Phase, localAuthority: String, disadvantagedPct: Double,
                    latitude: Double? = nil, longitude: Double? = nil) {
            self.id = id; self.name = name; self.phase = phase; self.localAuthority = localAuthority; self.disadvantagedPct = disadvantagedPct
            self.latitude = latitude; self.longitude = longitude
        }
        enum CodingKeys: String, CodingKey {
            case id, name, phase
            case localAuthority = "local_authority"
            case disadvantagedPct = "disadvantaged_pct"
            case latitude, longitude
        }
    }

    public enum Status: String, Codable, Sendable {
        case optimal
        case feasible
        case infeasible
        case timeLimit = "time_limit"

        /// A plan not proven optimal: `time_limit` when the time limit ended its solve, else `feasible`. A stop
        /// (Ctrl-C) is what ended it even where part of the solve, a region with its share of the time, had
        /// already run out of time first.
        static func unproven(stoppedByTimeLimit: Bool, stoppedByRequest: Bool) -> Status {
            stoppedByTimeLimit && !stoppedByRequest ? .timeLimit : .feasible
        }
    }

    public struct Assignment: Codable, Sendable, Equatable {
        public var adviser: String
        public var school: String
        public var role: AssignmentRole
        /// Need-days this adviser covers at this school, by area.
        public var days: [String: Double]
        /// Oversight days as lead (0 for a specialist).
        public var leadDays: Double
        /// One-way minutes from the adviser's base to the school.
        public var travelMinutes: Double
        /// Days of the adviser's capacity used here: visit days plus round-trip travel.
        public var capacityDays: Double
        /// Pounds: visit days at the adviser's day rate.
        public var cost: Double

        public init(adviser: String, school: String, role: AssignmentRole, days: [String: Double], leadDays: Double,
                    travelMinutes: Double, capacityDays: Double, cost: Double) {
            self.adviser = adviser; self.school = school; self.role = role; self.days = days; self.leadDays = leadDays
            self.travelMinutes = travelMinutes; self.capacityDays = capacityDays; self.cost = cost
        }

        public var visitDays: Double { days.values.reduce(0, +) + leadDays }

        enum CodingKeys: String, CodingKey {
            case adviser, school, role, days
            case leadDays = "lead_days"
            case travelMinutes = "travel_minutes"
            case capacityDays = "capacity_days"
            case cost
        }
    }

    public enum UnmetReason: String, Codable, Sendable, CaseIterable {
        case noEligibleAdviser = "no_eligible_adviser"
        case capacityExhausted = "capacity_exhausted"
        case budget
    }

    public struct UnmetNeed: Codable, Sendable, Equatable {
        public var school: String
        public var area: String
        public var days: Double
        public var priority: Int
        public var reason: UnmetReason
        /// Words a programme manager can act on, e.g. which advisers were full.
        public var detail: String
        public init(school: String, area: String, days: Double, priority: Int, reason: UnmetReason, detail: String) {
            self.school = school; self.area = area; self.days = days; self.priority = priority; self.reason = reason; self.detail = detail
        }
    }

    /// A dated visit (filled in by visit scheduling).
    public struct Visit: Codable, Sendable, Equatable {
        public var adviser: String
        public var school: String
        public var date: CivilDate
        public var start: String
        public var end: String
        public var areas: [String]
        public init(adviser: String, school: String, date: CivilDate, start: String, end: String, areas: [String]) {
            self.adviser = adviser; self.school = school; self.date = date; self.start = start; self.end = end; self.areas = areas
        }
    }

    public struct UnplacedVisit: Codable, Sendable, Equatable {
        public var adviser: String
        public var school: String
        public var count: Int
        public var reason: String
        public init(adviser: String, school: String, count: Int, reason: String) {
            self.adviser = adviser; self.school = school; self.count = count; self.reason = reason
        }
    }

    /// Size of the allocation model, so users see what was solved.
    public struct ModelSize: Codable, Sendable, Equatable {
        public var variables: Int
        public var integerVariables: Int
        public var constraints: Int
        public var nonzeros: Int
        /// `rules.candidate_advisers` when set: the model held only each school's nearest eligible advisers,
        /// so a proof of optimality or a gap is within that choice.
        public var candidateAdvisers: Int?
        public init(variables: Int, integerVariables: Int, constraints: Int, nonzeros: Int, candidateAdvisers: Int? = nil) {
            self.variables = variables; self.integerVariables = integerVariables; self.constraints = constraints; self.nonzeros = nonzeros
            self.candidateAdvisers = candidateAdvisers
        }
        enum CodingKeys: String, CodingKey {
            case variables
            case integerVariables = "integer_variables"
            case constraints, nonzeros
            case candidateAdvisers = "candidate_advisers"
        }
    }

    public var format: String = "\(Plan.formatName) \(Plan.formatVersion)"
    public var scenario: ScenarioReference
    public var status: Status
    /// The allocation model's objective (maximised), as in the model written by --write-lp.
    public var objective: Double?
    /// Best proven bound on the objective.
    public var bound: Double?
    /// Relative optimality gap, 0 when proven optimal.
    public var gap: Double?
    public var model: ModelSize
    public var assignments: [Assignment]
    public var unmet: [UnmetNeed]
    public var visits: [Visit]
    public var unplaced: [UnplacedVisit]
    public var advisers: [AdviserInfo] { didSet { adviserIndex = Plan.positions(advisers.map(\.id)) } }
    public var schools: [SchoolInfo] { didSet { schoolIndex = Plan.positions(schools.map(\.id)) } }
    // Where each id is in `advisers` and `schools`: the reports look up a name per row, and a search per
    // lookup made the roster of 22,000 schools take minutes.
    private var adviserIndex: [String: Int] = [:]
    private var schoolIndex: [String: Int] = [:]

    private static func positions(_ ids: [String]) -> [String: Int] {
        Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public init(scenario: ScenarioReference, status: Status, objective: Double?, bound: Double?, gap: Double?, model: ModelSize,
                assignments: [Assignment], unmet: [UnmetNeed], visits: [Visit] = [], unplaced: [UnplacedVisit] = [],
                advisers: [AdviserInfo] = [], schools: [SchoolInfo] = []) {
        self.scenario = scenario; self.status = status; self.objective = objective; self.bound = bound; self.gap = gap
        self.model = model; self.assignments = assignments; self.unmet = unmet; self.visits = visits; self.unplaced = unplaced
        self.advisers = advisers; self.schools = schools
        adviserIndex = Plan.positions(advisers.map(\.id)); schoolIndex = Plan.positions(schools.map(\.id))
    }

    /// Fills in the scenario reference and the adviser and school tables from the scenario the plan came from.
    public mutating func describe(_ s: Scenario) {
        scenario = ScenarioReference(name: s.name, fingerprint: s.fingerprint, start: s.programme.start, end: s.programme.end,
                                     budget: s.programme.budget)
        advisers = s.advisers.map {
            AdviserInfo(id: $0.id, name: $0.name, role: $0.role, capacityDays: $0.capacityDays, maxSchools: $0.maxSchools, dayRate: $0.dayRate,
                        homeLatitude: $0.home.latitude, homeLongitude: $0.home.longitude)
        }
        schools = s.schools.map {
            SchoolInfo(id: $0.id, name: $0.name, phase: $0.phase, localAuthority: $0.localAuthority, disadvantagedPct: $0.disadvantagedPercent,
                       latitude: $0.location.latitude, longitude: $0.location.longitude)
        }
    }

    public func adviser(_ id: String) -> AdviserInfo? { adviserIndex[id].map { advisers[$0] } }
    public func school(_ id: String) -> SchoolInfo? { schoolIndex[id].map { schools[$0] } }

    // MARK: Plan files

    /// The plan as JSON text: keys sorted and numbers rounded so the same plan gives the same bytes.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self.rounded())
        data.append(0x0A)
        return data
    }

    /// Reads a plan file: `PlanReader` when the file is one it reads exactly as JSONDecoder would (every
    /// file `jsonData` writes), else JSONDecoder itself, whose errors say which field is wrong.
    public static func decode(from data: Data) throws -> Plan {
        if let plan = PlanReader.read(data) { return plan }
        return try JSONDecoder().decode(Plan.self, from: data)
    }

    /// Rounds every figure to 6 decimals: floating-point noise in the 15th digit would otherwise reach the file.
    func rounded() -> Plan {
        func r(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
        var copy = self
        copy.objective = objective.map(r)
        copy.bound = bound.map(r)
        copy.gap = gap.map(r)
        copy.assignments = assignments.map { a in
            var a = a
            a.days = a.days.mapValues(r)
            a.leadDays = r(a.leadDays); a.travelMinutes = r(a.travelMinutes); a.capacityDays = r(a.capacityDays); a.cost = r(a.cost)
            return a
        }
        copy.unmet = unmet.map { u in var u = u; u.days = r(u.days); return u }
        copy.advisers = advisers.map { a in var a = a; a.homeLatitude = a.homeLatitude.map(r); a.homeLongitude = a.homeLongitude.map(r); return a }
        copy.schools = schools.map { s in var s = s; s.latitude = s.latitude.map(r); s.longitude = s.longitude.map(r); return s }
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case format, scenario, status, objective, bound, gap, model, assignments, unmet, visits, unplaced, advisers, schools
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        guard format.hasPrefix(Plan.formatName) else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: c, debugDescription: "not an adviser-planner plan file")
        }
        scenario = try c.decode(ScenarioReference.self, forKey: .scenario)
        status = try c.decode(Status.self, forKey: .status)
        objective = try c.decodeIfPresent(Double.self, forKey: .objective)
        bound = try c.decodeIfPresent(Double.self, forKey: .bound)
        gap = try c.decodeIfPresent(Double.self, forKey: .gap)
        model = try c.decode(ModelSize.self, forKey: .model)
        assignments = try c.decode([Assignment].self, forKey: .assignments)
        unmet = try c.decodeIfPresent([UnmetNeed].self, forKey: .unmet) ?? []
        visits = try c.decodeIfPresent([Visit].self, forKey: .visits) ?? []
        unplaced = try c.decodeIfPresent([UnplacedVisit].self, forKey: .unplaced) ?? []
        advisers = try c.decodeIfPresent([AdviserInfo].self, forKey: .advisers) ?? []
        schools = try c.decodeIfPresent([SchoolInfo].self, forKey: .schools) ?? []
        adviserIndex = Plan.positions(advisers.map(\.id)); schoolIndex = Plan.positions(schools.map(\.id))
    }

    /// A problem found in a plan file: the field it is in, written as `assignments[3].adviser` (counting
    /// from 1) so that a reader of the JSON can find its line, and what is wrong there.
    public struct FileProblem: Equatable, Sendable {
        public var field: String
        public var message: String
    }

    /// The first place where the plan names an adviser or school missing from its own adviser and school
    /// tables (a hand-edited or damaged file), for a message; nil when it is consistent. The reports look
    /// names up in those tables, so such a plan would print with rows silently missing.
    public func firstUnknownReference() -> FileProblem? {
        guard !advisers.isEmpty || !schools.isEmpty else { return nil }  // an old plan without the tables
        func check(_ what: String, _ list: String, _ index: Int, adviser: String?, school: String) -> FileProblem? {
            let record = "\(list)[\(index + 1)]"
            if let adviser, adviserIndex[adviser] == nil {
                return FileProblem(field: record + ".adviser", message: "\(what) \(index + 1) names adviser \(adviser), who is not in the plan's `advisers` table")
            }
            if schoolIndex[school] == nil {
                return FileProblem(field: record + ".school", message: "\(what) \(index + 1) names school \(school), which is not in the plan's `schools` table")
            }
            return nil
        }
        for (i, a) in assignments.enumerated() { if let m = check("assignment", "assignments", i, adviser: a.adviser, school: a.school) { return m } }
        for (i, v) in visits.enumerated() { if let m = check("visit", "visits", i, adviser: v.adviser, school: v.school) { return m } }
        for (i, v) in unplaced.enumerated() { if let m = check("unplaced visit", "unplaced", i, adviser: v.adviser, school: v.school) { return m } }
        for (i, u) in unmet.enumerated() { if let m = check("unmet need", "unmet", i, adviser: nil, school: u.school) { return m } }
        return nil
    }

    /// The first figure no solve could have written (negative days, a capacity of 10^20 days, a latitude off
    /// the globe), for a message; nil when every figure is plausible. A hand-edited plan reaches the reports,
    /// whose sums and tables assume figures of a real programme.
    public func firstImplausibleFigure() -> FileProblem? {
        func check(_ what: String, _ record: String, _ field: String, _ value: Double, _ range: ClosedRange<Double>) -> FileProblem? {
            if range.contains(value) { return nil }
            return FileProblem(field: record + "." + field,
                               message: "\(what): `\(field)` is \(value), expected \(Plan.plain(range.lowerBound)) to \(Plan.plain(range.upperBound))")
        }
        // Generous limits: a programme of several years, a national budget, a day's drive.
        let days = 0.0...100_000, money = 0.0...1e12, minutes = 0.0...10_000
        for (i, a) in advisers.enumerated() {
            let what = "adviser \(i + 1) (\(a.id))", record = "advisers[\(i + 1)]"
            if let m = check(what, record, "capacity_days", a.capacityDays, days) ?? check(what, record, "day_rate", a.dayRate, money)
                ?? check(what, record, "max_schools", Double(a.maxSchools), 0...1_000_000)
                ?? a.homeLatitude.flatMap({ check(what, record, "home_latitude", $0, -90...90) })
                ?? a.homeLongitude.flatMap({ check(what, record, "home_longitude", $0, -180...180) }) { return m }
        }
        for (i, s) in schools.enumerated() {
            let what = "school \(i + 1) (\(s.id))", record = "schools[\(i + 1)]"
            if let m = check(what, record, "disadvantaged_pct", s.disadvantagedPct, 0...100)
                ?? s.latitude.flatMap({ check(what, record, "latitude", $0, -90...90) })
                ?? s.longitude.flatMap({ check(what, record, "longitude", $0, -180...180) }) { return m }
        }
        for (i, a) in assignments.enumerated() {
            let what = "assignment \(i + 1) (\(a.adviser) at \(a.school))", record = "assignments[\(i + 1)]"
            for area in a.days.keys.sorted() {
                if let m = check(what, record, "days.\(area)", a.days[area] ?? 0, days) { return m }
            }
            if let m = check(what, record, "lead_days", a.leadDays, days) ?? check(what, record, "capacity_days", a.capacityDays, days)
                ?? check(what, record, "travel_minutes", a.travelMinutes, minutes) ?? check(what, record, "cost", a.cost, money) { return m }
        }
        for (i, u) in unmet.enumerated() {
            let what = "unmet need \(i + 1) (\(u.school) \(u.area))", record = "unmet[\(i + 1)]"
            if let m = check(what, record, "days", u.days, days) ?? check(what, record, "priority", Double(u.priority), 0...1_000_000) { return m }
        }
        for (i, v) in unplaced.enumerated() {
            if let m = check("unplaced visit \(i + 1) (\(v.adviser) at \(v.school))", "unplaced[\(i + 1)]", "count", Double(v.count), 0...1_000_000) { return m }
        }
        if let budget = scenario.budget, let m = check("the scenario", "scenario", "budget", budget, money) { return m }
        return nil
    }

    private static func plain(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }

    // MARK: Summaries

    public var unmetDays: Double { unmet.reduce(0) { $0 + $1.days } }
    public var totalCost: Double { assignments.reduce(0) { $0 + $1.cost } }
}
