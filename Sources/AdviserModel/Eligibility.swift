import Foundation

/// Why an adviser may not work with a school. Used to build the model (only eligible pairs become
/// variables) and to explain to a programme manager why a school has nobody.
public enum Ineligibility: Sendable, Equatable, Hashable, Comparable {
    case ownSchool
    case phase
    case sameTrust
    case sameLocalAuthority
    case travel
    case noMatchingExpertise
    case forbidden
    /// Eligible by every other rule, but not among the school's `rules.candidate_advisers` nearest.
    case notAmongNearest

    public var explanation: String {
        switch self {
        case .ownSchool: return "it is their own school"
        case .phase: return "they do not work in this phase"
        case .sameTrust: return "they are employed by the school's trust (independence)"
        case .sameLocalAuthority: return "they are employed by the school's local authority (independence)"
        case .travel: return "the school is beyond the travel limit"
        case .noMatchingExpertise: return "they have no expertise in any of the school's need areas"
        case .forbidden: return "the pairing is forbidden by a change"
        case .notAmongNearest: return "they are not among the school's nearest eligible advisers (rules.candidate_advisers)"
        }
    }
}

/// The eligible adviser-school pairs of a scenario, computed once.
public struct EligibilityTable: Sendable {
    public let scenario: Scenario
    /// Needs grouped by school id, in file order.
    public let needsBySchool: [String: [Int]]
    let forbidden: Set<PairKey>
    /// Under `rules.candidate_advisers`: each school's advisers kept (indices, ascending), and the pairs kept.
    private(set) var candidatesOfSchool: [[Int]]? = nil
    private var keptPairs: [EligiblePair] = []
    /// Positions of ids, for `reasons` under the rule (first of any duplicate, as the loader reports them).
    private var adviserPosition: [String: Int] = [:], schoolPosition: [String: Int] = [:]

    public init(scenario: Scenario) {
        self.scenario = scenario
        forbidden = Set(scenario.forbiddenPairs)
        var grouped: [String: [Int]] = [:]
        for (index, need) in scenario.needs.enumerated() { grouped[need.school, default: []].append(index) }
        needsBySchool = grouped
        if let k = scenario.rules.candidateAdvisers { restrict(toNearest: k) }
    }

    /// Keeps each school's `k` nearest eligible advisers (ties by file order) and the advisers of its
    /// current (roster.csv) and required pairings.
    private mutating func restrict(toNearest k: Int) {
        let all = pairsByEveryRule()
        let s = scenario
        let schoolIndex = Dictionary(s.schools.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let adviserIndex = Dictionary(s.advisers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        schoolPosition = schoolIndex
        adviserPosition = adviserIndex
        var kept = [Set<Int>](repeating: [], count: s.schools.count)
        for pair in s.roster.map({ PairKey(adviser: $0.adviser, school: $0.school) }) + s.requiredPairs.map({ PairKey(adviser: $0.adviser, school: $0.school) }) {
            if let a = adviserIndex[pair.adviser], let school = schoolIndex[pair.school] { kept[school].insert(a) }
        }
        var bySchool = [[EligiblePair]](repeating: [], count: s.schools.count)
        for pair in all { bySchool[pair.school].append(pair) }
        for (school, pairs) in bySchool.enumerated() {
            let nearest = pairs.sorted { ($0.travelMinutes, $0.adviser) < ($1.travelMinutes, $1.adviser) }.prefix(k)
            kept[school].formUnion(nearest.map(\.adviser))
        }
        candidatesOfSchool = kept.map { $0.sorted() }
        keptPairs = all.filter { kept[$0.school].contains($0.adviser) }
    }

    /// Whether `rules.candidate_advisers` keeps the pair (true without the rule).
    func isCandidate(adviser a: Int, school s: Int) -> Bool {
        guard let lists = candidatesOfSchool else { return true }
        let list = lists[s]
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid] < a { low = mid + 1 } else { high = mid }
        }
        return low < list.count && list[low] == a
    }

    /// Every rule that excludes the pair; empty when the adviser is eligible for the school.
    public func reasons(_ adviser: Adviser, _ school: School) -> [Ineligibility] {
        var reasons: [Ineligibility] = []
        if adviser.homeSchool == school.id { reasons.append(.ownSchool) }
        if forbidden.contains(PairKey(adviser: adviser.id, school: school.id)) { reasons.append(.forbidden) }
        if !adviser.phases.contains(school.phase) { reasons.append(.phase) }
        switch scenario.rules.independence {
        case .none:
            break
        case .trust, .localAuthority:
            if let trust = school.trust, trust == adviser.employerTrust { reasons.append(.sameTrust) }
            if scenario.rules.independence == .localAuthority, let la = adviser.employerLocalAuthority, la == school.localAuthority {
                reasons.append(.sameLocalAuthority)
            }
        }
        if scenario.travelMinutes(adviser, school) > scenario.rules.maxTravelMinutes + 1e-9 { reasons.append(.travel) }
        let needs = needsBySchool[school.id] ?? []
        if !needs.isEmpty && !needs.contains(where: { adviser.level(in: scenario.needs[$0].area) > 0 }) {
            reasons.append(.noMatchingExpertise)
        }
        if reasons.isEmpty, candidatesOfSchool != nil,
           let a = adviserPosition[adviser.id], let s = schoolPosition[school.id],
           !isCandidate(adviser: a, school: s) {
            reasons.append(.notAmongNearest)
        }
        return reasons
    }

    public func isEligible(_ adviser: Adviser, _ school: School) -> Bool { reasons(adviser, school).isEmpty }

    /// Schools that need a lead (`rules.require_lead`) and that no adviser may lead; none when leads are
    /// optional. No budget or capacity enters into it: only who may work where.
    public func schoolsNobodyMayLead() -> [String] {
        scenario.rules.requireLead ? schoolsWithoutEligibleAdviser(among: eligiblePairs()) : []
    }

    /// Why no plan can exist, one line per school of `ids` (each needs a lead, and nobody may lead it).
    /// The first `limit` of them are explained, then counted: a travel limit cut to 15 minutes left 76 of
    /// a generated 200 schools without a lead, and a national programme would print thousands of lines
    /// (`validate` lists every one).
    public func noLeadReasons(for ids: [String], limit: Int = 20) -> [String] {
        var reasons = ids.prefix(limit).map { id in
            let school = scenario.school(id)!
            return "school \(id) (\(school.name)) needs a lead adviser but nobody is eligible: " + explainNoEligibleAdviser(for: school)
        }
        if ids.count > limit {
            let more = ids.count - limit
            reasons.append("\(more) more school\(more == 1 ? "" : "s") that nobody may lead (\(ids.count) in all): "
                + ids.dropFirst(limit).prefix(10).joined(separator: ", ") + (more > 10 ? ", ..." : ""))
        }
        return reasons
    }

    /// A sentence saying why nobody is eligible for `school`, counting advisers per rule.
    public func explainNoEligibleAdviser(for school: School) -> String {
        var counts: [Ineligibility: Int] = [:]
        for adviser in scenario.advisers {
            for reason in reasons(adviser, school) { counts[reason, default: 0] += 1 }
        }
        let parts = counts.keys.sorted().map { "\(counts[$0]!) of \(scenario.advisers.count): \($0.explanation)" }
        return parts.isEmpty ? "there are no advisers" : parts.joined(separator: "; ")
    }
}

/// One eligible adviser-school pair, by index into the scenario's advisers and schools.
public struct EligiblePair: Sendable, Equatable {
    public var adviser: Int
    public var school: Int
    /// One-way minutes, measured or estimated: `Scenario.travelMinutes` for the pair.
    public var travelMinutes: Double
    public init(adviser: Int, school: Int, travelMinutes: Double) {
        self.adviser = adviser; self.school = school; self.travelMinutes = travelMinutes
    }
}

extension EligibilityTable {
    /// Every eligible pair, in adviser then school file order: exactly the pairs for which
    /// `reasons(_:_:)` is empty, found without checking all advisers against all schools (66 million
    /// pairs at national scale). The rules are read once into small integers; a grid of schools gives
    /// each adviser only the schools the travel estimate might allow, plus those with a measured time
    /// (which replaces the estimate, however far); every candidate then gets the exact check.
    public func eligiblePairs() -> [EligiblePair] {
        candidatesOfSchool == nil ? pairsByEveryRule() : keptPairs
    }

    /// Ids, in file order, of the schools that no adviser in `pairs` (the eligible pairs) may work at: with
    /// `require_lead` none of them can be led, so no plan exists.
    public func schoolsWithoutEligibleAdviser(among pairs: [EligiblePair]) -> [String] {
        var reached = [Bool](repeating: false, count: scenario.schools.count)
        for pair in pairs { reached[pair.school] = true }
        return scenario.schools.indices.filter { !reached[$0] }.map { scenario.schools[$0].id }
    }

    /// Whether the leads can all fit, among `pairs` (the eligible pairs), each adviser leading at most as many
    /// schools as their `max_schools` and capacity allow (lead days with travel, at the lightest of their
    /// pairings). Nil without leads.
    public func leadMatching(among pairs: [EligiblePair]) -> LeadMatching? {
        guard scenario.rules.requireLead else { return nil }
        let (options, places) = leadOptionsAndPlaces(among: pairs)
        return LeadMatching(options: options, places: places)
    }

    /// For each school the advisers among `pairs` with the capacity to lead it, and for each adviser the most
    /// schools they can lead: `max_schools`, and capacity at lead days with travel at their lightest pairing.
    private func leadOptionsAndPlaces(among pairs: [EligiblePair]) -> (options: [[Int]], places: [Int]) {
        var options = [[Int]](repeating: [], count: scenario.schools.count)
        var lightestLead = [Double](repeating: .infinity, count: scenario.advisers.count)
        for pair in pairs {
            let load = scenario.rules.leadDays * scenario.capacityPerVisitDay(travelMinutes: pair.travelMinutes)
            guard load <= scenario.advisers[pair.adviser].capacityDays + 1e-9 else { continue }
            options[pair.school].append(pair.adviser)
            lightestLead[pair.adviser] = min(lightestLead[pair.adviser], load)
        }
        let places = scenario.advisers.indices.map { a in
            let adviser = scenario.advisers[a]
            guard lightestLead[a].isFinite else { return 0 }
            guard lightestLead[a] > 1e-9 else { return adviser.maxSchools }
            return min(adviser.maxSchools, Int(((adviser.capacityDays + 1e-9) / lightestLead[a]).rounded(.down)))
        }
        return (options, places)
    }

    /// The least a lead for every school among `pairs` can cost (day rate times lead days), each adviser
    /// leading no more schools than `leadMatching` allows them; nil without leads, or when not every school
    /// can be led. No plan spends less.
    public func cheapestLeadsCost(among pairs: [EligiblePair]) -> Double? {
        cheapestLeads(among: pairs)?.cost
    }

    /// `cheapestLeadsCost` with the leads that cost it: each school's lead adviser.
    public func cheapestLeads(among pairs: [EligiblePair]) -> (cost: Double, leadOf: [Int])? {
        guard scenario.rules.requireLead else { return nil }
        let (options, places) = leadOptionsAndPlaces(among: pairs)
        let costs = scenario.advisers.map { $0.dayRate * scenario.rules.leadDays }
        return LeadMatching.cheapestLeads(options: options, places: places, costOfLead: costs)
    }

    /// Leads for every school beyond the budget or all advisers' capacity: each school's lead at its lightest
    /// (capacity with travel) among `pairs`, and the cheapest leads every school can have at once (day rate;
    /// `cheapestLeadsCost`, or `cheapestLeads` when the caller has it already): one line each. Empty without leads.
    public func leadTotalShortfalls(among pairs: [EligiblePair], cheapestLeads known: Double? = nil) -> [String] {
        let s = scenario
        guard s.rules.requireLead else { return [] }
        var cheapestLead = [Double](repeating: .infinity, count: s.schools.count)
        var lightestLead = cheapestLead, dearestLead = [Double](repeating: 0, count: s.schools.count)
        for pair in pairs {
            let cost = s.advisers[pair.adviser].dayRate * s.rules.leadDays
            cheapestLead[pair.school] = min(cheapestLead[pair.school], cost)
            dearestLead[pair.school] = max(dearestLead[pair.school], cost)
            lightestLead[pair.school] = min(lightestLead[pair.school], s.rules.leadDays * s.capacityPerVisitDay(travelMinutes: pair.travelMinutes))
        }
        var reasons: [String] = []
        let leadCapacity = lightestLead.filter(\.isFinite).reduce(0, +)
        let capacity = s.advisers.map(\.capacityDays).reduce(0, +)
        if leadCapacity > capacity + 1e-9 {
            reasons.append("lead days for every school need at least \(formatNumber(leadCapacity.rounded(toPlaces: 1))) days of capacity with travel; advisers have \(formatNumber(capacity.rounded(toPlaces: 1)))")
        }
        guard let budget = s.programme.budget else { return reasons }
        let eachAtItsCheapest = cheapestLead.filter(\.isFinite).reduce(0, +)
        // No set of leads costs more than each school's dearest: a budget over that needs no matching (0.7 s
        // of a national programme's 1.1 million pairs).
        guard budget < dearestLead.reduce(0, +) else { return reasons }
        let together = max(eachAtItsCheapest, known ?? cheapestLeadsCost(among: pairs) ?? 0)
        guard together > budget + 1e-9 else { return reasons }
        if together > eachAtItsCheapest + 0.5 {
            // The cheapest advisers cannot lead every school: their max_schools and capacity run out.
            reasons.append("a lead for every school costs at least £\(formatNumber(together.rounded())) but the budget is £\(formatNumber(budget)) (each "
                           + "school's cheapest lead would cost £\(formatNumber(eachAtItsCheapest.rounded())), but the cheapest advisers' max_schools and capacity do not stretch to all of them)")
        } else {
            reasons.append("a lead for every school costs at least £\(formatNumber(together.rounded())) but the budget is £\(formatNumber(budget))")
        }
        return reasons
    }

    /// One line per group of schools whose possible leads have too few places, naming them and what to change.
    public func leadShortfallReasons(_ matching: LeadMatching) -> [String] {
        func list(_ names: [String]) -> String {
            let shown = names.prefix(6).joined(separator: ", ")
            return names.count > 6 ? shown + " and \(names.count - 6) more" : shown
        }
        let leadDays = scenario.rules.leadDays
        var reasons: [String] = []
        for shortfall in matching.shortfalls.prefix(3) {
            guard !shortfall.advisers.isEmpty else {
                // Everyone who may work there is eligible, but nobody has the capacity for the lead days.
                reasons += shortfall.schools.map { s in
                    "school \(scenario.schools[s].id) (\(scenario.schools[s].name)) needs a lead, but no adviser who may work with it has "
                        + "capacity_days for \(formatNumber(leadDays)) lead days (with travel where it counts)"
                }
                continue
            }
            let schools = shortfall.schools.map { "\(scenario.schools[$0].id) (\(scenario.schools[$0].name))" }
            let advisers = shortfall.advisers.map { a -> String in
                let adviser = scenario.advisers[a]
                return "\(adviser.id) (max_schools \(adviser.maxSchools), capacity_days \(formatNumber(adviser.capacityDays)))"
            }
            let nearest = scenario.rules.candidateAdvisers.map { " or rules.candidate_advisers (now \($0))" } ?? ""
            let one = shortfall.advisers.count == 1
            reasons.append("\(shortfall.schools.count) schools can be led only by \(shortfall.advisers.count) adviser\(one ? "" : "s"), "
                + "who \(one ? "has" : "have") room to lead \(shortfall.places) of them (max_schools, and capacity at \(formatNumber(leadDays)) lead days each): "
                + "schools \(list(schools)); advisers \(list(advisers)). Raise \(one ? "that adviser's" : "those advisers'") max_schools or capacity_days\(nearest), "
                + "or add an adviser who may lead one of these schools (phase, independence, expertise and travel decide who may)")
        }
        if matching.shortfalls.count > 3 {
            let unled = matching.leadOf.filter { $0 == nil }.count
            let more = matching.shortfalls.count - 3
            reasons.append("\(more) more group\(more == 1 ? "" : "s") of schools like these; in all \(unled) schools cannot have a lead")
        }
        return reasons
    }

    /// The eligible pairs before `rules.candidate_advisers`.
    func pairsByEveryRule() -> [EligiblePair] {
        let s = scenario
        let codes = EligibilityCodes(self)
        let limit = s.rules.maxTravelMinutes + 1e-9
        // TravelModel.minutes is km x roadFactor / speed x 60, so the estimate allows at most this far.
        let radius = s.travel.roadFactor > 0 && s.travel.averageSpeedKmh > 0
            ? limit * s.travel.averageSpeedKmh / (60 * s.travel.roadFactor) : Double.nan
        let grid = GeoGrid(places: s.schools.map(\.location), withinKilometres: radius)
        let measured = codes.measuredTravel
        var pairs: [EligiblePair] = []
        var near: [Int] = []
        for (a, adviser) in s.advisers.enumerated() {
            let known = measured[a]
            if let grid {
                near.removeAll(keepingCapacity: true)
                grid.candidates(near: adviser.home, into: &near)
                for (school, _) in known { near.append(school) }
                near.sort()
            } else if near.count != s.schools.count {
                near = Array(s.schools.indices)
            }
            var k = 0  // next measured pair of this adviser; both lists ascend by school
            var previous = -1
            for school in near where school != previous {
                previous = school
                while k < known.count && known[k].school < school { k += 1 }
                guard codes.allowsPair(a, school) else { continue }
                let minutes = k < known.count && known[k].school == school
                    ? known[k].minutes : s.travel.minutes(from: adviser.home, to: s.schools[school].location)
                if minutes > limit { continue }
                pairs.append(EligiblePair(adviser: a, school: school, travelMinutes: minutes))
            }
        }
        return pairs
    }
}

/// The eligibility rules other than travel, on small integers read once from the scenario, so a pair is
/// checked without hashing a string. Each field means what `EligibilityTable.reasons` compares.
struct EligibilityCodes {
    let schoolCount: Int
    /// Bit of the school's phase; mask of the adviser's phases.
    let schoolPhase: [UInt8], adviserPhases: [UInt8]
    /// Trust and local authority codes; an adviser's is -2 (no school's) when the rule does not apply.
    let schoolTrust: [Int32], adviserTrust: [Int32]
    let schoolLocalAuthority: [Int32], adviserLocalAuthority: [Int32]
    /// School id code; the adviser's home school's, or -2.
    let schoolID: [Int32], adviserHomeSchool: [Int32]
    /// Bit sets over the need areas, `areaWords` words each: the school's need areas, the adviser's
    /// areas of expertise among them (level above 0). Any number of areas fits.
    let areaWords: Int
    let schoolAreas: [UInt64], adviserAreas: [UInt64]
    /// adviser x schoolCount + school of each forbidden pair.
    let forbidden: Set<Int>
    /// Measured minutes of each adviser, ascending by school.
    let measuredTravel: [[(school: Int, minutes: Double)]]

    init(_ table: EligibilityTable) {
        let s = table.scenario
        schoolCount = s.schools.count
        var schoolsByID: [String: [Int]] = [:], advisersByID: [String: [Int]] = [:]
        for (i, school) in s.schools.enumerated() { schoolsByID[school.id, default: []].append(i) }
        for (i, adviser) in s.advisers.enumerated() { advisersByID[adviser.id, default: []].append(i) }

        let phaseBit = Dictionary(uniqueKeysWithValues: Phase.allCases.enumerated().map { ($1, UInt8(1) << UInt8($0)) })
        schoolPhase = s.schools.map { phaseBit[$0.phase]! }
        adviserPhases = s.advisers.map { $0.phases.reduce(0) { $0 | phaseBit[$1]! } }

        var codes: [String: Int32] = [:]
        func code(_ text: String) -> Int32 {
            if let c = codes[text] { return c }
            codes[text] = Int32(codes.count)
            return Int32(codes.count - 1)
        }
        let independence = s.rules.independence
        schoolTrust = s.schools.map { $0.trust.map(code) ?? -1 }
        adviserTrust = s.advisers.map { independence == .none ? -2 : ($0.employerTrust.map(code) ?? -2) }
        codes = [:]
        schoolLocalAuthority = s.schools.map { code($0.localAuthority) }
        adviserLocalAuthority = s.advisers.map { independence == .localAuthority ? ($0.employerLocalAuthority.map(code) ?? -2) : -2 }
        codes = [:]
        schoolID = s.schools.map { code($0.id) }
        adviserHomeSchool = s.advisers.map { $0.homeSchool.map { codes[$0] ?? -2 } ?? -2 }

        var areaIndex: [String: Int] = [:]
        var areas: [String] = []
        for need in s.needs where areaIndex[need.area] == nil {
            areaIndex[need.area] = areas.count
            areas.append(need.area)
        }
        let words = max(1, (areas.count + 63) / 64)
        areaWords = words
        var schoolAreas = [UInt64](repeating: 0, count: s.schools.count * words)
        for need in s.needs {
            let k = areaIndex[need.area]!
            for i in schoolsByID[need.school] ?? [] { schoolAreas[i * words + k / 64] |= 1 << UInt64(k % 64) }
        }
        var adviserAreas = [UInt64](repeating: 0, count: s.advisers.count * words)
        for (i, adviser) in s.advisers.enumerated() {
            for (k, area) in areas.enumerated() where adviser.level(in: area) > 0 {
                adviserAreas[i * words + k / 64] |= 1 << UInt64(k % 64)
            }
        }
        self.schoolAreas = schoolAreas
        self.adviserAreas = adviserAreas

        var forbidden = Set<Int>()
        for pair in table.forbidden {
            for a in advisersByID[pair.adviser] ?? [] {
                for school in schoolsByID[pair.school] ?? [] { forbidden.insert(a * s.schools.count + school) }
            }
        }
        self.forbidden = forbidden

        var measured = [[(school: Int, minutes: Double)]](repeating: [], count: s.advisers.count)
        for (pair, minutes) in s.measuredTravelMinutes {
            for a in advisersByID[pair.adviser] ?? [] {
                for school in schoolsByID[pair.school] ?? [] { measured[a].append((school, minutes)) }
            }
        }
        // Sorted, as the dictionary gives its pairs in no fixed order.
        measuredTravel = measured.map { $0.sorted { $0.school < $1.school } }
    }

    /// Every rule but travel allows adviser `a` to work with school `s`.
    func allowsPair(_ a: Int, _ s: Int) -> Bool {
        if adviserHomeSchool[a] == schoolID[s] { return false }
        if adviserPhases[a] & schoolPhase[s] == 0 { return false }
        if adviserTrust[a] == schoolTrust[s] || adviserLocalAuthority[a] == schoolLocalAuthority[s] { return false }
        if !forbidden.isEmpty && forbidden.contains(a * schoolCount + s) { return false }
        // A school without needs may still be led; one with needs wants expertise in one of them.
        var hasNeeds = false
        for w in 0..<areaWords {
            let needed = schoolAreas[s * areaWords + w]
            if needed & adviserAreas[a * areaWords + w] != 0 { return true }
            hasNeeds = hasNeeds || needed != 0
        }
        return !hasNeeds
    }
}
