@testable import AdviserModel
import Foundation
import GLPK
import Testing
@testable import AdviserSolver

/// The fast eligible pairs and the fast formulation agree exactly with the brute-force construction:
/// `reasons(...).isEmpty` over every adviser and school, and the model as it was built before.
@Suite struct EligiblePairsTests {
    /// Every adviser against every school, as the model was built before.
    static func bruteForce(_ scenario: Scenario) -> [EligiblePair] {
        let table = EligibilityTable(scenario: scenario)
        var pairs: [EligiblePair] = []
        for (a, adviser) in scenario.advisers.enumerated() {
            for (s, school) in scenario.schools.enumerated() where table.reasons(adviser, school).isEmpty {
                pairs.append(EligiblePair(adviser: a, school: s, travelMinutes: scenario.travelMinutes(adviser, school)))
            }
        }
        return pairs
    }

    static func expectSamePairs(_ scenario: Scenario, sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = EligibilityTable(scenario: scenario).eligiblePairs()
        let slow = bruteForce(scenario)
        #expect(fast.count == slow.count, sourceLocation: sourceLocation)
        func same(_ x: EligiblePair, _ y: EligiblePair) -> Bool {
            x.adviser == y.adviser && x.school == y.school && x.travelMinutes.bitPattern == y.travelMinutes.bitPattern
        }
        if let i = (0..<min(fast.count, slow.count)).first(where: { !same(fast[$0], slow[$0]) }) {
            Issue.record("first difference at pair \(i): fast \(fast[i]), brute force \(slow[i])", sourceLocation: sourceLocation)
        }
    }

    static let bundled = ["six-school-trust", "aspire-hub", "knowsley-pathways", "knowsley-pathways-expanded"]

    @Test(arguments: bundled)
    func bundledScenariosHaveTheSamePairs(name: String) throws {
        Self.expectSamePairs(try BundledScenarioTests.load(name))
    }

    @Test(arguments: [[430, 65], [1000, 150]])
    func generatedScenariosHaveTheSamePairs(size: [Int]) throws {
        let scenario = try ScenarioGenerator.generate(schools: size[0], advisers: size[1], seed: 7)
        Self.expectSamePairs(scenario)
        // The travel limit decides many pairs here, so a narrower and a wider limit exercise the grid too.
        for minutes in [0.0, 5, 20, 45, 90, 240, 600] {
            var changed = scenario
            changed.rules.maxTravelMinutes = minutes
            Self.expectSamePairs(changed)
        }
        for independence in IndependenceLevel.allCases {
            var changed = scenario
            changed.rules.independence = independence
            Self.expectSamePairs(changed)
        }
    }

    /// One adviser in Huyton; S-far is 150 km away, S-near next door.
    func measuredScenario() -> Scenario {
        let huyton = GeoPoint(latitude: 53.41, longitude: -2.84)
        var schools = [
            School(id: "S-far", name: "Far", phase: .primary, localAuthority: "Cumbria", location: GeoPoint(latitude: 54.75, longitude: -2.9)),
            School(id: "S-near", name: "Near", phase: .primary, localAuthority: "Knowsley", location: GeoPoint(latitude: 53.411, longitude: -2.841)),
            School(id: "S-home", name: "Home", phase: .primary, localAuthority: "Knowsley", location: GeoPoint(latitude: 53.412, longitude: -2.84)),
            School(id: "S-forbidden", name: "Forbidden", phase: .primary, localAuthority: "Knowsley", location: GeoPoint(latitude: 53.42, longitude: -2.85)),
            School(id: "S-ok", name: "Ok", phase: .primary, localAuthority: "Knowsley", location: GeoPoint(latitude: 53.43, longitude: -2.80)),
        ]
        // A scatter of other schools, so the grid has cells to skip.
        for k in 0..<40 {
            schools.append(School(id: "X\(k)", name: "X\(k)", phase: .primary, localAuthority: "Elsewhere",
                                  location: GeoPoint(latitude: 50.5 + Double(k % 8) * 0.5, longitude: -5 + Double(k / 8) * 1.5)))
        }
        let advisers = [
            Adviser(id: "A1", name: "A1", home: huyton, phases: [.primary], expertise: [Expertise(area: "literacy", level: 2)],
                    capacityDays: 20, maxSchools: 5, dayRate: 500, homeSchool: "S-home"),
            Adviser(id: "A2", name: "A2", home: GeoPoint(latitude: 51.5, longitude: -0.1), phases: [.primary],
                    expertise: [Expertise(area: "literacy", level: 1)], capacityDays: 20, maxSchools: 5, dayRate: 500),
        ]
        let needs = schools.map { Need(school: $0.id, area: "literacy", days: 2, priority: 2) }
        var rules = Rules()
        rules.independence = .trust
        return Scenario(programme: Programme(name: "measured", start: CivilDate(year: 2026, month: 9, day: 1)!, end: CivilDate(year: 2027, month: 7, day: 21)!),
                        rules: rules, schools: schools, advisers: advisers, needs: needs,
                        measuredTravelMinutes: [PairKey(adviser: "A1", school: "S-far"): 50, PairKey(adviser: "A1", school: "S-near"): 75,
                                                PairKey(adviser: "A2", school: "X3"): 60, PairKey(adviser: "A1", school: "nowhere"): 5],
                        forbiddenPairs: [PairKey(adviser: "A1", school: "S-forbidden")])
    }

    @Test func measuredTravelForbiddenPairsAndHomeSchools() {
        let scenario = measuredScenario()
        Self.expectSamePairs(scenario)
        let fast = EligibilityTable(scenario: scenario).eligiblePairs()
        let ids = Set(fast.map { "\(scenario.advisers[$0.adviser].id)>\(scenario.schools[$0.school].id)" })
        #expect(ids.contains("A1>S-far"))          // 150 km, but measured at 50 minutes
        #expect(!ids.contains("A1>S-near"))        // next door, but measured at 75 minutes
        #expect(!ids.contains("A1>S-home"))        // their own school, in range
        #expect(!ids.contains("A1>S-forbidden"))   // forbidden, in range
        #expect(ids.contains("A1>S-ok"))
        #expect(ids.contains("A2>X3"))
        #expect(fast.first { scenario.schools[$0.school].id == "S-far" }?.travelMinutes == 50)
    }

    /// Schools right at the travel limit (within rounding), on both sides of cell boundaries, and across
    /// the prime meridian, where English longitudes change sign.
    @Test func theEdgesOfTheGrid() throws {
        var rules = Rules()
        rules.independence = .none
        let travel = TravelModel()
        let centre = GeoPoint(latitude: 52.0, longitude: 0.0)
        var schools: [School] = []
        func add(_ p: GeoPoint) {
            schools.append(School(id: "S\(schools.count)", name: "S", phase: .primary, localAuthority: "LA", location: p))
        }
        // Along eight bearings, the last point within the limit and the first beyond it.
        for bearing in stride(from: 0.0, to: 360, by: 45) {
            let (dLat, dLon) = (cos(bearing * .pi / 180), sin(bearing * .pi / 180))
            var low = 0.0, high = 2.0  // degrees of offset
            for _ in 0..<200 {
                let mid = (low + high) / 2
                if mid == low || mid == high { break }
                let p = GeoPoint(latitude: centre.latitude + mid * dLat, longitude: centre.longitude + mid * dLon)
                if travel.minutes(from: centre, to: p) <= rules.maxTravelMinutes + 1e-9 { low = mid } else { high = mid }
            }
            for t in [low, high, low.nextDown, high.nextUp] {
                add(GeoPoint(latitude: centre.latitude + t * dLat, longitude: centre.longitude + t * dLon))
            }
        }
        // A line of schools across the meridian and a wide spread, so the grid has many cells.
        for k in -40...40 { add(GeoPoint(latitude: 52.0 + Double(k) * 0.01, longitude: Double(k) * 0.0125)) }
        for k in 0..<200 { add(GeoPoint(latitude: 50 + Double(k % 20) * 0.25, longitude: -5 + Double(k / 20) * 0.7)) }
        var advisers = [Adviser(id: "A0", name: "A0", home: centre, phases: [.primary], expertise: [], capacityDays: 20, maxSchools: 5, dayRate: 500)]
        // Advisers on both sides of every cell boundary near the centre, and on the meridian itself.
        let grid = try #require(GeoGrid(places: schools.map(\.location), withinKilometres: (rules.maxTravelMinutes + 1e-9) * travel.averageSpeedKmh / (60 * travel.roadFactor)))
        for r in 0...grid.rows {
            let lat = grid.minLatitude + Double(r) * grid.cellLatitude
            for c in 0...grid.columns {
                let lon = grid.minLongitude + Double(c) * grid.cellLongitude
                for p in [GeoPoint(latitude: lat, longitude: lon), GeoPoint(latitude: lat.nextDown, longitude: lon.nextDown),
                          GeoPoint(latitude: lat.nextUp, longitude: lon.nextUp)] {
                    advisers.append(Adviser(id: "A\(advisers.count)", name: "A", home: p, phases: [.primary], expertise: [],
                                            capacityDays: 20, maxSchools: 5, dayRate: 500))
                }
            }
        }
        for lat in stride(from: 51.0, through: 53.0, by: 0.25) {
            advisers.append(Adviser(id: "A\(advisers.count)", name: "A", home: GeoPoint(latitude: lat, longitude: 0), phases: [.primary],
                                    expertise: [], capacityDays: 20, maxSchools: 5, dayRate: 500))
        }
        let scenario = Scenario(programme: Programme(name: "edges", start: CivilDate(year: 2026, month: 9, day: 1)!, end: CivilDate(year: 2027, month: 7, day: 21)!),
                                rules: rules, schools: schools, advisers: advisers, needs: [])
        Self.expectSamePairs(scenario)
        // The limit cuts between the pairs found by bisection: the grid must keep the inside ones.
        let fromCentre = Set(EligibilityTable(scenario: scenario).eligiblePairs().filter { $0.adviser == 0 }.map(\.school))
        for k in 0..<8 {
            #expect(fromCentre.contains(4 * k) && !fromCentre.contains(4 * k + 1))
        }
    }

    /// Places the grid cannot bucket, far north and across the 180th meridian: the exact check decides.
    @Test func oddPlacesFallBackToTheExactCheck() {
        var rules = Rules()
        rules.independence = .none
        let points = [GeoPoint(latitude: 89.9, longitude: 10), GeoPoint(latitude: 89.9, longitude: -170),
                      GeoPoint(latitude: 10, longitude: 179.9), GeoPoint(latitude: 10, longitude: -179.9),
                      GeoPoint(latitude: .nan, longitude: 0), GeoPoint(latitude: 0, longitude: .infinity),
                      GeoPoint(latitude: 95, longitude: 0), GeoPoint(latitude: 0, longitude: 200),
                      GeoPoint(latitude: 52, longitude: -1), GeoPoint(latitude: 52.1, longitude: -1.1),
                      GeoPoint(latitude: -33.9, longitude: 151.2), GeoPoint(latitude: 40.7, longitude: -74)]
        var schools: [School] = []
        for (k, p) in points.enumerated() {
            for j in 0..<5 {
                let q = GeoPoint(latitude: p.latitude + Double(j) * 0.05, longitude: p.longitude + Double(j) * 0.07)
                schools.append(School(id: "S\(k)_\(j)", name: "S", phase: .primary, localAuthority: "LA", location: q))
            }
        }
        let advisers = points.enumerated().map { k, p in
            Adviser(id: "A\(k)", name: "A", home: p, phases: [.primary], expertise: [], capacityDays: 20, maxSchools: 5, dayRate: 500)
        }
        for minutes in [60.0, 600, 6000] {
            rules.maxTravelMinutes = minutes
            let scenario = Scenario(programme: Programme(name: "odd", start: CivilDate(year: 2026, month: 9, day: 1)!, end: CivilDate(year: 2027, month: 7, day: 21)!),
                                    rules: rules, schools: schools, advisers: advisers, needs: [])
            Self.expectSamePairs(scenario)
        }
    }

    /// Random places over England and random limits: the grid never loses a pair.
    @Test func randomScenariosHaveTheSamePairs() {
        var rng = SplitMix64(seed: 42)
        for round in 0..<12 {
            var rules = Rules()
            rules.maxTravelMinutes = [1, 10, 30, 60, 61.5, 120][round % 6]
            rules.independence = IndependenceLevel.allCases[round % 3]
            let areas = ["literacy", "maths", "send"]
            let schools = (0..<300).map { k in
                School(id: "S\(k)", name: "S", phase: rng.chance(0.8) ? .primary : .secondary, localAuthority: "LA\(rng.int(0...4))",
                       trust: rng.chance(0.4) ? "T\(rng.int(0...3))" : nil,
                       location: GeoPoint(latitude: rng.uniform(50, 55.8), longitude: rng.uniform(-5.7, 1.8)))
            }
            let advisers = (0..<40).map { k in
                Adviser(id: "A\(k)", name: "A", home: GeoPoint(latitude: rng.uniform(50, 55.8), longitude: rng.uniform(-5.7, 1.8)),
                        phases: rng.chance(0.5) ? [.primary] : [.primary, .secondary],
                        expertise: areas.filter { _ in rng.chance(0.5) }.map { Expertise(area: $0, level: rng.int(0...3)) },
                        capacityDays: 20, maxSchools: 5, dayRate: 500, employerTrust: rng.chance(0.5) ? "T\(rng.int(0...3))" : nil,
                        employerLocalAuthority: rng.chance(0.5) ? "LA\(rng.int(0...4))" : nil,
                        homeSchool: rng.chance(0.3) ? "S\(rng.int(0...299))" : nil)
            }
            let needs = schools.filter { _ in rng.chance(0.9) }.map { Need(school: $0.id, area: areas[rng.int(0...2)], days: 2, priority: 2) }
            var measured: [PairKey: Double] = [:]
            for _ in 0..<60 { measured[PairKey(adviser: "A\(rng.int(0...39))", school: "S\(rng.int(0...299))")] = rng.uniform(0, 2 * rules.maxTravelMinutes) }
            let forbidden = (0..<20).map { _ in PairKey(adviser: "A\(rng.int(0...39))", school: "S\(rng.int(0...299))") }
            let scenario = Scenario(programme: Programme(name: "random", start: CivilDate(year: 2026, month: 9, day: 1)!, end: CivilDate(year: 2027, month: 7, day: 21)!),
                                    rules: rules, schools: schools, advisers: advisers, needs: needs,
                                    measuredTravelMinutes: measured, forbiddenPairs: Array(Set(forbidden)))
            Self.expectSamePairs(scenario)
        }
    }

    /// More than 64 need areas: the bit sets take more than one word.
    @Test func manyAreas() {
        var rules = Rules()
        rules.independence = .none
        let areas = (0..<150).map { "area\($0)" }
        let schools = (0..<60).map { k in
            School(id: "S\(k)", name: "S", phase: .primary, localAuthority: "LA", location: GeoPoint(latitude: 52 + Double(k % 6) * 0.1, longitude: -1 + Double(k / 6) * 0.1))
        }
        let advisers = (0..<20).map { k in
            Adviser(id: "A\(k)", name: "A", home: GeoPoint(latitude: 52.2, longitude: -0.6), phases: [.primary],
                    expertise: [Expertise(area: areas[(k * 7) % 150], level: 2), Expertise(area: areas[(k * 13 + 70) % 150], level: k % 3)],
                    capacityDays: 20, maxSchools: 5, dayRate: 500)
        }
        let needs = schools.enumerated().flatMap { k, s in
            [Need(school: s.id, area: areas[(k * 11) % 150], days: 2, priority: 1), Need(school: s.id, area: areas[(k * 29 + 3) % 150], days: 1, priority: 2)]
        }
        let scenario = Scenario(programme: Programme(name: "areas", start: CivilDate(year: 2026, month: 9, day: 1)!, end: CivilDate(year: 2027, month: 7, day: 21)!),
                                rules: rules, schools: schools, advisers: advisers, needs: needs)
        Self.expectSamePairs(scenario)
        #expect(!EligibilityTable(scenario: scenario).eligiblePairs().isEmpty)
    }

    // MARK: - The whole model

    static func expectSameModel(_ scenario: Scenario, basePlan: Plan? = nil, disruptionWeight: Double = 0, keepAllFeasible: Bool = false,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = AllocationFormulation(scenario: scenario, basePlan: basePlan, disruptionWeight: disruptionWeight, keepAllFeasible: keepAllFeasible)
        let reference = ReferenceFormulation(scenario: scenario, basePlan: basePlan, disruptionWeight: disruptionWeight, keepAllFeasible: keepAllFeasible)
        let (m, r) = (fast.model, reference.model)
        #expect(m.name == r.name && m.direction == r.direction && m.objectiveConstant.bitPattern == r.objectiveConstant.bitPattern, sourceLocation: sourceLocation)
        func bits(_ x: Double?) -> UInt64? { x?.bitPattern }
        func firstDifference<T, U>(_ a: [T], _ b: [U], _ what: String, _ same: (T, U) -> Bool) {
            #expect(a.count == b.count, "\(what): \(a.count) against \(b.count)", sourceLocation: sourceLocation)
            if let i = (0..<min(a.count, b.count)).first(where: { !same(a[$0], b[$0]) }) {
                Issue.record("\(what) differ first at \(i): \(a[i]) against \(b[i])", sourceLocation: sourceLocation)
            }
        }
        firstDifference(m.columns, r.columns, "columns") {
            $0.name == $1.name && $0.kind == $1.kind && bits($0.lower) == bits($1.lower) && bits($0.upper) == bits($1.upper)
                && $0.objective.bitPattern == $1.objective.bitPattern
        }
        firstDifference(m.rows, r.rows, "rows") { $0.name == $1.name && bits($0.lower) == bits($1.lower) && bits($0.upper) == bits($1.upper) }
        firstDifference(m.coefficients, r.coefficients, "coefficients") { $0.row == $1.row && $0.column == $1.column && $0.value.bitPattern == $1.value.bitPattern }
        firstDifference(fast.pairs, reference.pairs, "pairs") {
            $0.adviser == $1.adviser && $0.school == $1.school && $0.assigned == $1.assigned && $0.lead == $1.lead
                && $0.travelMinutes.bitPattern == $1.travelMinutes.bitPattern
        }
        firstDifference(fast.candidates, reference.candidates, "candidates") {
            $0.adviser == $1.adviser && $0.need == $1.need && $0.pair == $1.pair && $0.column == $1.column
        }
        #expect(fast.unmetColumns == reference.unmetColumns, sourceLocation: sourceLocation)
        #expect(fast.budgetRow == reference.budgetRow, sourceLocation: sourceLocation)
        #expect(fast.schoolsWithoutLead == reference.schoolsWithoutLead, sourceLocation: sourceLocation)
        #expect(fast.basePairs == reference.basePairs, sourceLocation: sourceLocation)
        #expect(fast.impossibleRequirements == reference.impossibleRequirements, sourceLocation: sourceLocation)
    }

    /// A base plan that pairs some eligible and some ineligible advisers and schools, leads and specialists.
    static func syntheticBase(_ scenario: Scenario) -> Plan {
        let pairs = bruteForce(scenario)
        var assignments: [Plan.Assignment] = []
        for (k, pair) in pairs.enumerated() where k % 5 == 0 {
            assignments.append(Plan.Assignment(adviser: scenario.advisers[pair.adviser].id, school: scenario.schools[pair.school].id,
                                               role: k % 10 == 0 ? .lead : .specialist, days: [:], leadDays: 0, travelMinutes: 0, capacityDays: 0, cost: 0))
        }
        for (a, adviser) in scenario.advisers.enumerated() where a % 3 == 0 {
            // Ineligible pairs are in base plans after a change; they earn nothing.
            if let school = scenario.schools.first(where: { !EligibilityTable(scenario: scenario).isEligible(adviser, $0) }) {
                assignments.append(Plan.Assignment(adviser: adviser.id, school: school.id, role: .lead, days: [:], leadDays: 0,
                                                   travelMinutes: 0, capacityDays: 0, cost: 0))
            }
        }
        assignments.append(Plan.Assignment(adviser: "gone", school: scenario.schools[0].id, role: .lead, days: [:], leadDays: 0,
                                           travelMinutes: 0, capacityDays: 0, cost: 0))
        return Plan(scenario: .init(name: scenario.name, fingerprint: scenario.fingerprint), status: .feasible, objective: nil, bound: nil,
                    gap: nil, model: .init(variables: 0, integerVariables: 0, constraints: 0, nonzeros: 0), assignments: assignments, unmet: [])
    }

    @Test(arguments: bundled)
    func bundledScenariosBuildTheSameModel(name: String) throws {
        let scenario = try BundledScenarioTests.load(name)
        Self.expectSameModel(scenario)
        let base = Self.syntheticBase(scenario)
        Self.expectSameModel(scenario, basePlan: base, disruptionWeight: 500)
        Self.expectSameModel(scenario, basePlan: base, disruptionWeight: 500, keepAllFeasible: true)
        var noLeads = scenario
        noLeads.rules.requireLead = false
        Self.expectSameModel(noLeads)
    }

    /// Every bundled what-if change: required and forbidden pairings, removed advisers, added schools ...
    @Test func bundledWhatIfChangesBuildTheSameModel() throws {
        let scenario = try BundledScenarioTests.load("knowsley-pathways")
        let folder = BundledScenarioTests.root.appendingPathComponent("scenarios/knowsley-pathways/whatif").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(files.count >= 5)
        for file in files {
            let changed = try ScenarioChange.load(path: folder + "/" + file, base: scenario).apply(to: scenario)
            Self.expectSameModel(changed)
            Self.expectSameModel(changed, basePlan: Self.syntheticBase(scenario), disruptionWeight: 500)
            var noLeads = changed
            noLeads.rules.requireLead = false
            Self.expectSameModel(noLeads)
        }
    }

    @Test func generatedScenariosBuildTheSameModel() throws {
        let scenario = try ScenarioGenerator.generate(schools: 430, advisers: 65, seed: 3)
        Self.expectSameModel(scenario)
        Self.expectSameModel(try ScenarioGenerator.generate(schools: 300, advisers: 50, seed: 5, travelUsesCapacity: true))
        var halfDays = scenario
        halfDays.rules.leadDays = 1.5
        halfDays.programme.budget = nil
        halfDays.roster = Self.bruteForce(scenario).enumerated().filter { $0.offset % 9 == 0 }.map { k, pair in
            RosterEntry(adviser: scenario.advisers[pair.adviser].id, school: scenario.schools[pair.school].id, role: k % 2 == 0 ? .lead : .specialist)
        }
        halfDays.requiredPairs = [RosterEntry(adviser: scenario.advisers[0].id, school: scenario.schools[0].id, role: .lead),
                                  RosterEntry(adviser: scenario.advisers[1].id, school: scenario.schools[5].id, role: .specialist)]
        Self.expectSameModel(halfDays, basePlan: Self.syntheticBase(scenario), disruptionWeight: 250, keepAllFeasible: true)
        Self.expectSameModel(measuredScenarioForModel())
    }

    func measuredScenarioForModel() -> Scenario { measuredScenario() }
}
