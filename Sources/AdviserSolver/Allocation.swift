import AdviserModel
import Foundation
import GLPK

/// How to run the allocation solve.
public struct AllocationOptions: Sendable {
    public var timeLimitSeconds: Double?
    /// Relative gap at which the search may stop; 0 asks for proven optimality.
    public var relativeGap: Double = 0
    public var writeLP: String?
    public var writeMPS: String?
    public var progress: (@Sendable (SolveProgress) -> Void)?
    public var shouldStop: (@Sendable () -> Bool)?
    /// Told the solver's log when a search ends without a plan (none within the limits, or none exists), before
    /// the error is thrown: `solve --solver-log` still writes it then, when it says most about where the time went.
    public var logWithoutPlan: (@Sendable (String) -> Void)?
    /// Stop the search after this many branch-and-bound nodes: the same plan on any machine, unlike a time limit.
    public var nodeLimit: Int?
    /// What-if re-solves: the plan being changed. Each of its pairings that is still allowed earns
    /// `disruptionWeight` when kept (and again when a lead stays lead), so it moves only when moving is worth more.
    public var basePlan: Plan?
    public var disruptionWeight: Double = 500
    /// Keep every base pairing that is still allowed (and every base lead as lead); place only what must move.
    public var keepAllFeasible = false
    /// Threads (cores) the search may use; nil for all the machine has. With one, a model that does not
    /// split runs the two settings (`AllocationSolver.searchSettings`) in turn: the first for up to 1,000
    /// nodes, then the second from its plan.
    public var threads: Int?
    /// Blocks with more columns than this keep the heuristic's plan instead of going to branch-and-bound
    /// (`AllocationSolver.largestSearchedColumns`; tests lower it to reach that path on a small scenario).
    public var largestSearchedColumns = AllocationSolver.largestSearchedColumns
    /// Such blocks up to this size are improved by the neighbourhood search under a time limit.
    public var largestNeighbourhoodColumns = AllocationSolver.largestNeighbourhoodColumns
    /// Under a time limit, seconds without a better plan after which the tree of a model that does not split
    /// hands the rest of the time to the neighbourhood search; nil for `AllocationSolver.stallSeconds` (tests
    /// shorten it).
    public var stallSeconds: Double?
    /// Answers of regions already searched, shared by the solves of one `sensitivity`, `frontier` or `compare`
    /// run (see `BlockAnswers`).
    public var blockAnswers: BlockAnswers?
    /// What-if: the advisers and schools the change names, when it is local (`ScenarioChange.reach`); with
    /// `basePlan`, the changed programme may then be planned again around them only (`replan`).
    public var changeReach: ScenarioChange.Reach?
    /// How much of the programme a what-if plans again; nil: around a local change when the model's largest
    /// region is left to the heuristic (over `largestSearchedColumns`), else the whole.
    public var replan: ReplanScope?
    public init(timeLimitSeconds: Double? = nil, relativeGap: Double = 0, nodeLimit: Int? = nil, writeLP: String? = nil, writeMPS: String? = nil) {
        self.timeLimitSeconds = timeLimitSeconds; self.relativeGap = relativeGap; self.nodeLimit = nodeLimit
        self.writeLP = writeLP; self.writeMPS = writeMPS
    }
}

/// Why no plan could be produced at all.
public enum AllocationError: Error, Equatable, CustomStringConvertible {
    /// No plan satisfies the hard rules; one reason per line (per school where it is school-specific).
    case noFeasiblePlan([String])
    /// The time limit, the node limit (`nodes`, when it was that) or an interrupt (neither) came before any plan was found.
    case noPlanWithinLimit(seconds: Double?, nodes: Int? = nil)
    case solver(String)

    public var description: String {
        switch self {
        case .noFeasiblePlan(let reasons):
            return "No plan satisfies the hard rules:\n" + reasons.map { "  - " + $0 }.joined(separator: "\n")
        case .noPlanWithinLimit(_, let nodes?):
            return "No plan was found within the node limit of \(nodes) nodes; allow more with --node-limit (0 for no limit)"
        case .noPlanWithinLimit(let seconds, nil):
            return "No plan was found " + (seconds.map { "within the time limit of \(formatNumber($0)) s" } ?? "before the solve was stopped")
                + "; allow more time with --time-limit"
        case .solver(let message):
            return "The solver failed: \(message)"
        }
    }
}

/// What a solve produced, with figures for the terminal summary that do not belong in the plan file.
public struct AllocationResult: Sendable {
    public var plan: Plan
    public var seconds: Double
    public var solverLog: String
    /// Branch-and-bound nodes explored, and whether the node limit ended the search.
    public var nodes: Int
    public var stoppedByNodeLimit: Bool
    /// Points the objective includes for base pairings kept (what-if); 0 otherwise.
    public var disruptionBonus: Double = 0
    /// Schools planned again when only the neighbourhood of a change was (`ReplanScope.neighbourhood`); nil
    /// when the whole programme was.
    public var replannedSchools: Int?
    /// Stage times, for benchmarks: building the model, the starting heuristic, GLPK's search.
    public var formulationSeconds: Double = 0
    public var heuristicSeconds: Double = 0
    public var searchSeconds: Double = 0
}



/// The allocation integer program: how many days of each need each adviser supplies, who leads each school.
/// Days are counted in whole units of `dayUnit` (1 day, or half a day when any figure has a half).
///
/// Maximise  sum value(a,n) x[a,n] + continuity bonuses - unmet penalties - lead travel
/// subject to
///   cover[n]:     sum_a x[a,n] + unmet[n] = units(n)           need-days supplied, or reported unmet
///   capacity[a]:  sum unit f(a,s) x[a,n] + lead days f(a,s) l[a,s] <= capacity(a)   (f adds round-trip travel)
///   link:         x[a,n] <= units(n) y[a,s],  l[a,s] <= y[a,s],  y[a,s] <= l[a,s] + sum_n x[a,n]
///   lead[s]:      sum_a l[a,s] = 1 (or <= 1 when leads are optional)
///   schools[a]:   sum_s y[a,s] <= max_schools(a)
///   budget:       sum rate(a) unit x + rate(a) lead days l <= budget
/// Only eligible pairs get variables, and x only where the adviser has expertise in the need's area.
public struct AllocationFormulation: Sendable {
    public struct NeedCandidate: Sendable {
        public var adviser: Int
        public var need: Int
        public var pair: Int
        public var column: Int
        /// Capacity days one unit uses (its coefficient in the adviser's capacity row).
        public var resourcePerUnit: Double
    }
    public struct PairVariables: Sendable {
        public var adviser: Int
        public var school: Int
        public var assigned: Int
        public var lead: Int?
        public var travelMinutes: Double
        /// Capacity days the lead's days use (0 without leads).
        public var leadLoad: Double = 0
        /// bigM of the pair's load row: the capacity it may use when assigned (0: no load row).
        public var loadLimit: Double = 0
    }

    public let scenario: Scenario
    public let eligibility: EligibilityTable
    /// Days per unit of the integer day variables.
    public let dayUnit: Double
    public private(set) var model: LinearModel
    public private(set) var pairs: [PairVariables] = []
    public private(set) var candidates: [NeedCandidate] = []
    public private(set) var unmetColumns: [Int] = []
    public private(set) var budgetRow: Int?
    /// Schools that need a lead but have no eligible adviser: the scenario cannot be planned.
    public private(set) var schoolsWithoutLead: [String] = []

    /// Pairings of the base plan kept by the re-solve's objective or bounds (what-if), by pair.
    public private(set) var basePairs: [PairKey: AssignmentRole] = [:]
    /// Objective points added for kept base pairings, to report the plain objective beside the solved one.
    public let disruptionWeight: Double
    /// Required pairings that the rules do not allow, with why: the scenario cannot be planned.
    public private(set) var impossibleRequirements: [String] = []

    /// Whether the model fixes `column` at 1: a pairing or lead required by a change file, or kept from the
    /// base plan with --keep-all-feasible. False for nil (a pair without a lead column).
    func isFixed(_ column: Int?) -> Bool { column.map { (model.columns[$0].lower ?? 0) >= 0.5 } ?? false }

    /// Whether `pair` is one a change file requires (and not only kept from the base plan).
    func requiredPairing(_ pair: PairVariables, among required: Set<PairKey>) -> Bool {
        required.contains(PairKey(adviser: scenario.advisers[pair.adviser].id, school: scenario.schools[pair.school].id))
    }

    /// The required pairings as keys, for `requiredPairing`.
    var requiredKeys: Set<PairKey> { Set(scenario.requiredPairs.map { PairKey(adviser: $0.adviser, school: $0.school) }) }

    /// The pair whose lead is fixed (required, or kept from the base plan), by school; nil where none is.
    func fixedLeads() -> [Int?] {
        var fixed = [Int?](repeating: nil, count: scenario.schools.count)
        for (p, pair) in pairs.enumerated() where isFixed(pair.lead) { fixed[pair.school] = p }
        return fixed
    }

    /// The pairs that may give a school its lead, as eligible pairs: all of the school's, or only its fixed lead's.
    func possibleLeadPairs() -> [EligiblePair] {
        let fixedLead = fixedLeads()
        return pairs.indices.compactMap { p -> EligiblePair? in
            let pair = pairs[p]
            guard fixedLead[pair.school].map({ $0 == p }) ?? true else { return nil }
            return EligiblePair(adviser: pair.adviser, school: pair.school, travelMinutes: pair.travelMinutes)
        }
    }

    /// Each school's lead adviser in the cheapest leads every school can have at once
    /// (`EligibilityTable.cheapestLeads`), or nil when there are none.
    func cheapestLeadAdvisers() -> [Int]? {
        eligibility.cheapestLeads(among: possibleLeadPairs())?.leadOf
    }

    public init(scenario: Scenario, basePlan: Plan? = nil, disruptionWeight: Double = 0, keepAllFeasible: Bool = false) {
        self.scenario = scenario
        self.disruptionWeight = disruptionWeight
        let table = EligibilityTable(scenario: scenario)
        eligibility = table
        var builder = ModelBuilder(name: "allocation", direction: .maximize)
        let w = scenario.weights
        let rules = scenario.rules
        let unit = AllocationFormulation.dayUnit(for: scenario)
        dayUnit = unit

        // Eligible pairs, in adviser then school file order (deterministic), and each school's pairs in
        // adviser order: needs look up their advisers there rather than among all advisers.
        let pairSpecs = table.eligiblePairs()
        var pairsOfSchool = [[Int]](repeating: [], count: scenario.schools.count)
        for (p, spec) in pairSpecs.enumerated() { pairsOfSchool[spec.school].append(p) }
        let schoolIndex = Dictionary(uniqueKeysWithValues: scenario.schools.enumerated().map { ($1.id, $0) })
        // Ids are unique in a loaded scenario (the loader refuses repeats).
        let adviserIndex = Dictionary(scenario.advisers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        /// The pair of the adviser and school with these ids, when it is eligible.
        func pairIndex(_ adviser: String, _ school: String) -> Int? {
            guard let a = adviserIndex[adviser], let s = schoolIndex[school] else { return nil }
            let list = pairsOfSchool[s]
            var low = 0, high = list.count
            while low < high {
                let mid = (low + high) / 2
                if pairSpecs[list[mid]].adviser < a { low = mid + 1 } else { high = mid }
            }
            return low < list.count && pairSpecs[list[low]].adviser == a ? list[low] : nil
        }

        // Each adviser's level in each need area, read once.
        var areaIndex: [String: Int] = [:]
        var areas: [String] = []
        for need in scenario.needs where areaIndex[need.area] == nil {
            areaIndex[need.area] = areas.count
            areas.append(need.area)
        }
        let levels = scenario.advisers.flatMap { adviser in areas.map { adviser.level(in: $0) } }

        // Candidate (adviser, need) pairs: eligible pair and expertise in the need's area; needs in file
        // order, then advisers in file order.
        var coreCandidates: [AssignmentCore.Candidate] = []
        var candidatePairs: [Int] = []
        // At most every eligible adviser of every need's school: room enough without growing.
        let mostCandidates = scenario.needs.reduce(0) { $0 + (schoolIndex[$1.school].map { pairsOfSchool[$0].count } ?? 0) }
        coreCandidates.reserveCapacity(mostCandidates)
        candidatePairs.reserveCapacity(mostCandidates)
        // "adviser_school", the stem of every name of the pair's columns and rows.
        let pairNames = pairSpecs.map { "\(scenario.advisers[$0.adviser].id)_\(scenario.schools[$0.school].id)" }
        for (n, need) in scenario.needs.enumerated() {
            guard let s = schoolIndex[need.school] else { continue }
            let school = scenario.schools[s]
            let area = areaIndex[need.area]!
            for p in pairsOfSchool[s] {
                let a = pairSpecs[p].adviser
                let level = levels[a * areas.count + area]
                guard level > 0 else { continue }
                let minutes = pairSpecs[p].travelMinutes
                let valuePerDay = w.expertise * Double(level * need.priority) * (1 + w.disadvantage * school.disadvantagedPercent / 100)
                    - w.travel * 2 * minutes
                coreCandidates.append(.init(agent: a, job: n, maxUnits: AllocationFormulation.units(need.days, unit),
                                            resourcePerUnit: unit * scenario.capacityPerVisitDay(travelMinutes: minutes),
                                            valuePerUnit: valuePerDay * unit, name: "x_\(pairNames[p])_\(need.area)"))
                candidatePairs.append(p)
            }
        }
        // Every column, row and coefficient below, counted ahead (the load rows and the budget at most).
        let (needCount, candidateCount, pairCount) = (scenario.needs.count, coreCandidates.count, pairSpecs.count)
        let leadPairs = rules.requireLead ? pairCount : 0, budgeted = scenario.programme.budget == nil ? 0 : 1
        builder.reserve(columns: needCount + candidateCount + pairCount + leadPairs,
                        rows: needCount + 2 * scenario.advisers.count + budgeted + (rules.requireLead ? scenario.schools.count : 0)
                            + leadPairs + candidateCount + 2 * pairCount,
                        coefficients: needCount + candidateCount * (6 + budgeted) + pairCount * 3 + leadPairs * (6 + budgeted))
        let core = AssignmentCore(
            builder: &builder,
            jobNames: scenario.needs.map { "\($0.school)_\($0.area)" },
            demands: scenario.needs.map { AllocationFormulation.units($0.days, unit) },
            agentNames: scenario.advisers.map(\.id),
            capacities: scenario.advisers.map(\.capacityDays),
            candidates: coreCandidates,
            unmetObjective: { n in -w.unmetPenalty * Double(scenario.needs[n].priority) * unit })
        unmetColumns = core.unmetColumns.map { $0! }

        // Roster, base and required roles by pair (first roster entry, last base or required entry wins).
        var rosterRoles = [AssignmentRole?](repeating: nil, count: pairSpecs.count)
        for entry in scenario.roster {
            if let p = pairIndex(entry.adviser, entry.school), rosterRoles[p] == nil { rosterRoles[p] = entry.role }
        }
        let budgetRow = scenario.programme.budget.map { builder.row("budget", upper: $0) }
        self.budgetRow = budgetRow
        let schoolsRows = scenario.advisers.map { builder.row("max_schools_\($0.id)", upper: Double($0.maxSchools)) }
        // Leads exist only when the rules ask for one per school; otherwise every pairing is a specialist's.
        let leadRows = rules.requireLead ? scenario.schools.map { builder.row("lead_\($0.id)", lower: 1, upper: 1) } : []

        var base = [AssignmentRole?](repeating: nil, count: pairSpecs.count)
        for a in basePlan?.assignments ?? [] {
            if let p = pairIndex(a.adviser, a.school) { base[p] = a.role }
        }
        var required = [AssignmentRole?](repeating: nil, count: pairSpecs.count)
        for entry in scenario.requiredPairs {
            if let p = pairIndex(entry.adviser, entry.school) { required[p] = entry.role }
        }
        for entry in scenario.requiredPairs where pairIndex(entry.adviser, entry.school) == nil {
            var why: [Ineligibility] = []
            if let a = scenario.adviser(entry.adviser), let school = scenario.school(entry.school) { why = table.reasons(a, school) }
            impossibleRequirements.append("the required pairing of \(entry.adviser) with \(entry.school) is not allowed: "
                + (why.isEmpty ? "the adviser or school is not in the scenario" : why.map(\.explanation).joined(separator: "; ")))
        }
        pairs.reserveCapacity(pairCount)
        candidates.reserveCapacity(candidateCount)
        for (p, spec) in pairSpecs.enumerated() {
            // Ids and the day rate only: copying the whole adviser and school a million times shows.
            let adviserID = scenario.advisers[spec.adviser].id, schoolID = scenario.schools[spec.school].id
            let role = rosterRoles[p]
            let baseRole = base[p]
            if let baseRole { basePairs[PairKey(adviser: adviserID, school: schoolID)] = baseRole }
            let mustKeep = required[p] != nil || (keepAllFeasible && baseRole != nil)
            let mustLead = required[p] == .lead || (keepAllFeasible && baseRole == .lead)
            let y = builder.column("y_" + pairNames[p], kind: .binary, lower: mustKeep ? 1 : 0, upper: 1,
                                   objective: (role != nil ? w.continuity : 0) + (baseRole != nil ? disruptionWeight : 0))
            builder.set(row: schoolsRows[spec.adviser], column: y, 1)
            var lead: Int?
            if rules.requireLead {
                // A required pairing without the lead role may be kept in any role.
                let l = builder.column("l_" + pairNames[p], kind: .binary, lower: mustLead ? 1 : 0, upper: 1,
                                       objective: (role == .lead ? w.continuity : 0) + (baseRole == .lead ? disruptionWeight : 0)
                                           - w.travel * 2 * spec.travelMinutes * rules.leadDays)
                builder.set(row: leadRows[spec.school], column: l, 1)
                builder.set(row: core.capacityRows[spec.adviser], column: l, rules.leadDays * scenario.capacityPerVisitDay(travelMinutes: spec.travelMinutes))
                if let budgetRow { builder.set(row: budgetRow, column: l, scenario.advisers[spec.adviser].dayRate * rules.leadDays) }
                let leadLink = builder.row("lead_link_" + pairNames[p], upper: 0)
                builder.set(row: leadLink, column: l, 1)
                builder.set(row: leadLink, column: y, -1)
                lead = l
            } else if mustLead {
                impossibleRequirements.append("\(adviserID) is required to lead \(schoolID), but the rules have no leads (require_lead = false)")
            }
            pairs.append(PairVariables(adviser: spec.adviser, school: spec.school, assigned: y, lead: lead, travelMinutes: spec.travelMinutes,
                                       leadLoad: lead == nil ? 0 : rules.leadDays * scenario.capacityPerVisitDay(travelMinutes: spec.travelMinutes)))
        }

        // Links between need columns and their pair, and the "no empty assignment" rows.
        // The candidates of pair p are pairCandidates[pairStart[p] ..< pairStart[p + 1]], ascending (one
        // array for all: a million small arrays cost more to make and free than the rest of this loop).
        var pairStart = [Int](repeating: 0, count: pairSpecs.count + 1)
        for p in candidatePairs { pairStart[p + 1] += 1 }
        for p in 0..<pairSpecs.count { pairStart[p + 1] += pairStart[p] }
        var pairCandidates = [Int](repeating: 0, count: coreCandidates.count)
        var nextOfPair = pairStart
        for (c, candidate) in coreCandidates.enumerated() {
            let column = core.candidateColumns[c]
            let p = candidatePairs[c]
            candidates.append(NeedCandidate(adviser: candidate.agent, need: candidate.job, pair: p, column: column,
                                            resourcePerUnit: candidate.resourcePerUnit))
            pairCandidates[nextOfPair[p]] = c
            nextOfPair[p] += 1
            let link = builder.row("link_\(candidate.name)", upper: 0)
            builder.set(row: link, column: column, 1)
            builder.set(row: link, column: pairs[p].assigned, -Double(candidate.maxUnits))
            if let budgetRow {
                builder.set(row: budgetRow, column: column, scenario.advisers[candidate.agent].dayRate * unit)
            }
        }
        for (p, pair) in pairs.enumerated() {
            let row = builder.row("used_" + pairNames[p], upper: 0)
            builder.set(row: row, column: pair.assigned, 1)
            if let l = pair.lead { builder.set(row: row, column: l, -1) }
            let ofPair = pairCandidates[pairStart[p] ..< pairStart[p + 1]]
            for c in ofPair { builder.set(row: row, column: core.candidateColumns[c], -1) }
            // Valid inequality: the capacity an adviser spends at one school is at most what they have, and
            // only when assigned. It forces y up with the volume of work, which per-need links alone do not.
            let leadLoad = rules.leadDays * scenario.capacityPerVisitDay(travelMinutes: pair.travelMinutes)
            var volume = leadLoad
            for c in ofPair { volume += Double(coreCandidates[c].maxUnits) * coreCandidates[c].resourcePerUnit }
            let bigM = min(scenario.advisers[pair.adviser].capacityDays, volume)
            pairs[p].loadLimit = max(0, bigM)
            if bigM > 0 {
                let load = builder.row("load_" + pairNames[p], upper: 0)
                for c in ofPair { builder.set(row: load, column: core.candidateColumns[c], coreCandidates[c].resourcePerUnit) }
                if let l = pair.lead, leadLoad > 0 { builder.set(row: load, column: l, leadLoad) }
                builder.set(row: load, column: pair.assigned, -bigM)
            }
        }

        if rules.requireLead {
            schoolsWithoutLead = table.schoolsWithoutEligibleAdviser(among: pairSpecs)
        }
        model = builder.model
    }

    /// Half a day when any need or the lead days have a half, else a whole day.
    static func dayUnit(for scenario: Scenario) -> Double {
        let figures = scenario.needs.map(\.days) + [scenario.rules.leadDays]
        return figures.allSatisfy { $0 == $0.rounded() } ? 1 : 0.5
    }

    static func units(_ days: Double, _ unit: Double) -> Int { Int((days / unit).rounded()) }

    /// Columns of the largest block `GLPKSolver.solveByBlocks` will split the model into (only the budget
    /// links the blocks), counted before it copies any block out.
    public var largestBlockColumns: Int {
        ModelBlocks.largestBlockColumns(model, linkingRows: budgetRow.map { [$0] } ?? [])
    }

    public var size: Plan.ModelSize {
        Plan.ModelSize(variables: model.columns.count,
                       integerVariables: model.columns.reduce(0) { $0 + ($1.kind != .continuous ? 1 : 0) },
                       constraints: model.rows.count, nonzeros: model.coefficients.count,
                       candidateAdvisers: scenario.rules.candidateAdvisers)
    }
}

public enum AllocationSolver {
    /// GLPK's search settings, chosen by measurement (README, "How the solve is made fast").
    /// Gomory cuts cost more than they give on most allocation models (aspire-hub 4.8 s -> 1.6 s without
    /// them, knowsley-pathways with whole visit days 11.5 s -> 3.6 s), but on over-subscribed models with
    /// travel in capacity they lead the tree to much better plans (knowsley-pathways at 4,000 nodes -88,737
    /// with them, -135,547 without). Pseudocost branching proves the small models fastest (aspire-hub
    /// 0.5 s) and is poor on large blocks. So a model that does not split runs both settings side by side
    /// on the two cores; the blocks of a larger one run without Gomory cuts, branching by Driebeck-Tomlin.
    /// Best projection finds plans and leaves the nodes near the root open, which holds a region's bound
    /// where its root left it, so a block's every fourth backtrack goes to the best-bound node instead: a
    /// generated 1,000 x 150 (seed 5) at 30 s went from a gap of 0.16% to 0.04%, its 3,162-column region
    /// from 0.15% to 0.01% (every second backtrack lost one region's plan). A model that does not split has
    /// the second settings for plans (knowsley-pathways' -83,410 at 4,000 nodes comes from them, and with the
    /// same backtracks there -88,439), so only the first settings, which prove the small models, take them:
    /// knowsley-pathways' bound -70,423 -> -70,538 with the same plan, aspire-hub proven in 125 nodes against
    /// 119. Backtracking always to the best bound there gave -70,752, but aspire-hub took 265 nodes and
    /// 0.29-0.36 s of search instead of 0.21-0.23 s (0.41 s in all in one bench run, near its 0.5 s target).
    /// Once 20 backtracks have passed without a better plan, the gap is more likely bound than plan, and every
    /// backtrack goes to the best bound until a plan comes: at 4,000 nodes knowsley-pathways' bound -70,538 ->
    /// -71,001 with the same plan, and the generated 430 x 65 (seeds 1-4) and 1,000 x 150 (seeds 1, 2) closed
    /// their gaps by 0-21 points, but for 430 x 65 seed 3's (25 -> 33 points); aspire-hub 125 -> 127 nodes.
    /// After 5 or 10 backtracks: knowsley-pathways -70,752 and -70,760; after 40, mostly as without.
    static let searchSettings = (
        first: SearchSettings(cuts: CutOptions(gomory: false), branching: .pseudocost, backtracking: .bestProjectionAndBound(every: 4, whenStale: 20)),
        alongside: SearchSettings(cuts: .all, branching: .driebeckTomlin, backtracking: .bestProjection),
        blocks: SearchSettings(cuts: CutOptions(gomory: false), branching: .driebeckTomlin, backtracking: .bestProjectionAndBound(every: 4, whenStale: 20)))

    /// Columns from which a solve not proven optimal also gets `AllocationBound`'s bound (smaller models
    /// get a better one from the search itself).
    static let ownBoundColumns = 20_000

    /// Blocks with more columns than this are left to the heuristic. The largest block of the generated
    /// 5,000 x 700 (107,255 columns) had 150 s of GLPK's search without a better plan or a bound (its LP
    /// relaxation did not finish); skipping it ends that solve in 145 s instead of 296 s with the same plan.
    /// 16,000 columns (1,000 x 150) are searched to a 0.05% gap in 25 s.
    static let largestSearchedColumns = 100_000

    /// Blocks up to this size that branch-and-bound does not take are improved by the neighbourhood search
    /// (measured on 5,000 x 700's 107,255 columns), after their relaxation by the interior-point method,
    /// rounded (`SolveOptions.interiorRoot`), which alone is worth most of it on a national block. Generated
    /// 22,000 x 3,000 K=10, `--time-limit 590`, two cores (the block on a core of its own to the end): before
    /// the interior point, the 534,227-column block -59,332,709 -> -56,765,148 in 460 s; with it, -46,056,340.
    /// On one core that block kept the heuristic's plan until 7 December (a search there took the time of the
    /// regions, which made more of it), but its rounded relaxation gains far more than the regions lose:
    /// `--threads 1 --time-limit 300`, the plan -118,567,946 (gap 15%) -> -107,417,366 (4.8%), the block
    /// -59,332,709 -> -47,442,231, the regions 0.73 million less. The unrestricted national's block (3.1
    /// million columns) stays beyond it: its heuristic takes nearly the whole limit.
    static let largestNeighbourhoodColumns = 600_000

    /// Blocks over this many columns have their relaxation late or not at all: the interior point takes 87 s on
    /// a national block of 534,227 columns and is skipped when the block has less time (9.2 s on 5,000 x 700's
    /// 107,255). On one core `AllocationBound`'s passes after the search then give such a block its bound, and
    /// get a tenth of the limit: the national at `--threads 1 --time-limit 120` ended at a gap of 65% with a
    /// twentieth, against 31% with a tenth.
    static let slowRelaxationColumns = 300_000

    /// The node heuristic runs at the root and at every 100th node LP after it. At 4,000 nodes on
    /// knowsley-pathways-expanded (with twelve local-search passes per rounding) every 10th: -735,224 in 56 s
    /// on one core; every 100th: -743,305 in 27 s; none: -794,545 in 32 s. knowsley-pathways: -84,075 /
    /// -84,124 / -88,737.
    static let nodeHeuristicEvery = 100
    /// Local-search passes after each rounding: one pass is three times cheaper than twelve and as good (at
    /// 4,000 nodes, knowsley-pathways -83,410 against -84,124, expanded -743,887 against -743,305; the
    /// heuristic 0.5-0.7 s against 1.6-1.8 s per search setting in a release build, 21 s in a debug one).
    static let nodeHeuristicPasses = 1
    /// Under a time limit the root's rounding gets twelve passes: the plan a short solve returns is often
    /// the root's. knowsley-pathways at 0.45-2 s -94,828 -> -89,683 (309.5 need-days against 309), at 5-10 s
    /// -> -84,124 (310). From 20 s on it ends at -84,124 instead of -83,410: the same coverage and cost, 0.9%
    /// lower on travel and match. A node-limited solve keeps one pass, as above.
    static let rootPassesUnderTimeLimit = 12

    /// Under a time limit, a model that does not split stops its tree once no better plan has come for two
    /// fifths of the limit (at least 30 s), and the neighbourhood search improves the plan for the rest:
    /// knowsley-pathways' tree finds its last better plan about 35 s in and nothing more in 300 s, while the
    /// search, from that plan, went -83,410 -> -82,925 in 60 s and -82,752 in 240 s. A quarter of the limit
    /// (at least 10 s) stopped the tree too soon at 60 s: its plans come 19 s apart early on (-87,922
    /// against -83,410 without the hand-over).
    static func stallSeconds(timeLimit: Double) -> Double { max(30, 0.4 * timeLimit) }

    /// A region solved apart stops its tree once no better plan has come for a quarter of its share of the
    /// time, at least 4 s (generated 430 x 65 at 25 s: -3,390,617 -> -3,390,556; a third of it or 5 s
    /// stopped one region fewer; a fifth or 3 s stopped a region its tree would have proven). A region of at
    /// most 5,000 columns stalls only while its gap is at most 1%: further from its bound, its tree's rounded
    /// LPs find better plans than the neighbourhood search. A 4,943-column region of a generated 1,000 x 150
    /// (seed 6) stalled 204% from its bound and the search took it from -93,552 to -90,262 in 10 s, where its
    /// tree, left to go on, found 95,642 (gap of the whole at 30 s: 1.63% -> 0.01%). Larger regions make a
    /// node in tens of milliseconds, and there the search does better at any gap: kept in their trees, six
    /// national regions of 5,785-18,863 columns ended 64,000-93,000 points lower each (-385,094 in all).
    static let regionStall = (fraction: 0.25, minimumSeconds: 4.0, maxGap: 0.01, maxGapColumns: 5_000)

    /// Advisers kept per school by `nearestFirstPlan` (as `rules.candidate_advisers` would).
    static let nearestFirstCandidates = 10

    /// The plan the heuristic starts from when the model has every eligible pair and is too large for GLPK:
    /// the heuristic's plan of the same scenario with each school's 10 nearest eligible advisers only, made
    /// in half the heuristic's time. Every plan of that model is a plan of this one, and its heuristic makes
    /// far more passes in the time: on the unrestricted 22,000 x 3,000 (3.6 million columns) the heuristic
    /// alone reached 89.3% of need-days covered in 487 s, the restricted model's 93.4%. The heuristic on the
    /// whole model then goes on from it, with every pair open: 94.9% (objective -82.8M; -83.9M when the
    /// restricted plan had four fifths of the time). Nil (and the usual start) for a what-if, a scenario
    /// that already keeps the nearest, or one with few pairs per school.
    ///
    /// With `beside` (a second core), the bound's search runs beside this first heuristic on the restricted
    /// model, whose passes are several times cheaper, and `beside` then goes on over the whole model from
    /// the prices it reached, aiming at the restricted plan: any prices bound any model of the same advisers.
    static func nearestFirstPlan(_ formulation: AllocationFormulation, options: AllocationOptions, heuristicOnly: Bool,
                                 deadline: ContinuousClock.Instant?, beside: BoundBesideHeuristic?) -> (seed: Plan?, carried: [Double]?, note: String) {
        let scenario = formulation.scenario
        guard options.basePlan == nil, heuristicOnly, scenario.rules.candidateAdvisers == nil,
              formulation.pairs.count > 2 * nearestFirstCandidates * scenario.schools.count else { return (options.basePlan, nil, "") }
        let start = ContinuousClock.now
        var nearest = scenario
        nearest.rules.candidateAdvisers = nearestFirstCandidates
        let restricted = AllocationFormulation(scenario: nearest)
        let nearestDeadline = deadline.map { start + ($0 - start) * 0.5 }
        let nearestBeside = beside.map { _ in BoundBesideHeuristic() }
        let firstPlan: ((Double) -> Void)? = nearestBeside.flatMap { b in nearestDeadline.map { d in
            { b.start(restricted, incumbent: $0, deadline: d, shouldStop: options.shouldStop) } } }
        let values = restricted.schoolsWithoutLead.isEmpty
            ? StartingPlan.build(restricted, deadline: nearestDeadline, shouldStop: options.shouldStop, firstPlan: firstPlan,
                                 betterPlan: nearestBeside?.improved) : nil
        let restrictedSearch = nearestBeside?.finish()?.search
        guard let values else {
            return (nil, nil, "No starting plan from the \(nearestFirstCandidates) nearest advisers of each school; the heuristic starts from nothing.\n")
        }
        let objective = restricted.model.objectiveValue(values)
        if let beside, let deadline {
            beside.start(formulation, incumbent: objective, deadline: deadline, shouldStop: options.shouldStop, from: restrictedSearch?.restarted)
        }
        let plan = PlanExtractor.plan(from: values, formulation: restricted, status: .feasible, objective: nil, bound: nil, gap: nil)
        let bound = restrictedSearch.map { String(format: "; the bound's search beside it made %d passes over the restricted model", $0.passes) } ?? ""
        let note = String(format: "Starting plan first made with each school's %d nearest advisers (%d of %d pairs, objective %.2f) in %.2f s%@.\n",
                          nearestFirstCandidates, restricted.pairs.count, formulation.pairs.count,
                          objective, seconds(since: start), bound)
        // Stopped: that plan is the best so far, and already a plan of the whole model. Setting up the whole
        // model's heuristic to take it in (3.6 million columns) held a Ctrl-C for 7 s.
        let carried = options.shouldStop?() == true ? carryOver(values, from: restricted, to: formulation) : nil
        return (plan, carried, note)
    }

    /// A plan of `restricted` (the same scenario with fewer candidate advisers) as values of `whole`: each
    /// pairing it makes is one of the whole model's, with the same needs. Nil when one is not, or when the
    /// values break a row of `whole`.
    static func carryOver(_ values: [Double], from restricted: AllocationFormulation, to whole: AllocationFormulation) -> [Double]? {
        guard restricted.unmetColumns.count == whole.unmetColumns.count else { return nil }
        let schools = whole.scenario.schools.count, needs = whole.unmetColumns.count
        var pairOf = [Int: Int](minimumCapacity: whole.pairs.count)
        for (p, pair) in whole.pairs.enumerated() { pairOf[pair.adviser * schools + pair.school] = p }
        var out = [Double](repeating: 0, count: whole.model.columns.count)
        var wholePair = [Int](repeating: -1, count: restricted.pairs.count)
        var used = [Bool](repeating: false, count: whole.pairs.count)
        for (p, pair) in restricted.pairs.enumerated() where values[pair.assigned] > 0.5 {
            guard let q = pairOf[pair.adviser * schools + pair.school] else { return nil }
            wholePair[p] = q
            used[q] = true
            out[whole.pairs[q].assigned] = values[pair.assigned]
            if let lead = pair.lead, values[lead] > 0.5 {
                guard let wholeLead = whole.pairs[q].lead else { return nil }
                out[wholeLead] = values[lead]
            }
        }
        var candidateOf: [Int: Int] = [:]
        for (c, candidate) in whole.candidates.enumerated() where used[candidate.pair] { candidateOf[candidate.pair * needs + candidate.need] = c }
        for candidate in restricted.candidates where values[candidate.column] > 0.5 {
            let q = wholePair[candidate.pair]
            guard q >= 0, let c = candidateOf[q * needs + candidate.need] else { return nil }
            out[whole.candidates[c].column] = values[candidate.column]
        }
        for (need, column) in restricted.unmetColumns.enumerated() { out[whole.unmetColumns[need]] = values[column] }
        return StartingPlan.verify(out, model: whole.model) ? out : nil
    }

    /// Regions of at least this many columns get their first relaxation rounded (`StartingPlan.RegionRounding`): those past
    /// `regionStall.maxGapColumns`, whose trees hand their time to the neighbourhood search.
    static let regionRootHeuristicColumns = regionStall.maxGapColumns + 1

    /// A rounded region's relaxation may take up to this share of the region's time (at least its stall time),
    /// up to this many columns: on seed 2 of the generated 1,000 x 150 the 9,818-column region's relaxation
    /// needed a little over the 4 s stall time of a 12.9 s share, and without it the region lost its rounded
    /// plan (148,122 -> 140,119; gap of the whole 0.07% -> 0.20%). Larger regions keep the stall time. Since the
    /// national block's search has a core of its own, the national programme's regions have shorter shares, and
    /// its 34,689-column region, whose relaxation then no longer finished in its stall time, lost its rounded
    /// plan (-3,908,984 -> -4,674,800); with 40,000 columns here it keeps it (-3,910,783), while the 39,706-column
    /// region has less search (-1,011,700 -> -1,112,712): the plan -117,606,053 -> -116,966,204 at 590 s. That
    /// region's relaxation is at the edge of 40% of its 109-116 s share: it finished in one run of four (in
    /// 41-44 s) and was cut off at 43.7, 43.7 and 46.4 s in the others; with half, it finishes, and its rounded
    /// root takes it to -211,362: the plan -115,913,806.
    static let regionRootRelaxation = (share: 0.5, maxColumns: 40_000)

    /// How long the starting plan's heuristic may take of the `left` seconds of a time limit. The time limit
    /// counts from the start of formulating. The heuristic may use at most half of what is left (the search
    /// needs the rest), or nine tenths of it less the bound's reserve when GLPK is not given the largest block.
    /// But where that block will take its plan from its relaxation by the interior point, rounded (half the
    /// time left covers the method), the heuristic's plan for it is soon replaced, and its local search there,
    /// which settles in about 100 s on a national block, only takes the block's search's time and the
    /// regions': it gets a tenth, or 30 s (5,000 x 700's settles in 12-17 s; cut to 12 s at 120 s it ended
    /// at -38,906,358 against -38,852,859), or a quarter where 30 s would be more than that. Under 120 s the
    /// 30 s cut the block's rounding short or left it no time for the method at all: 5,000 x 700 at 20 s,
    /// gap 5.9-6.0% -> 0.97-0.98%; at 30 s 1.02-1.09% -> 0.68-0.78%; at 45 s 0.71% -> 0.56-0.62%; at 30 s on
    /// one core 9.7% -> 1.5%; at 60 s within the runs' spread (0.51-0.54% either way; 7 December).
    /// Generated 22,000 x 3,000 K=10 (7 December): `--threads 1
    /// --time-limit 300`, -107,417,366 (heuristic 111 s) -> -106,795,975 (30 s; -106,779,372 at 40 s and
    /// -106,806,143 at 15 s), gap 4.8% -> 4.2%; two cores at 590 s, -105,143,526 (heuristic 112 s) ->
    /// -105,013,813 and -104,993,993 (59 s), gap 2.73% -> 2.61% and 2.59%.
    static func heuristicSeconds(left: Double, boundReserve: Double, largestBlock: Int, heuristicOnly: Bool, options: AllocationOptions) -> Double {
        guard heuristicOnly else { return 0.5 * left }
        let share = 0.9 * max(0, left - boundReserve)
        let roundsFromInteriorPoint = largestBlock <= options.largestNeighbourhoodColumns && largestBlock > interiorRootColumns
            && GLPKSolver.takesInteriorRoot(columns: largestBlock, seconds: 0.5 * left)
        return roundsFromInteriorPoint ? min(share, max(0.1 * left, min(30, 0.25 * left))) : share
    }

    /// The heuristic's share where its plan has the model solved as one (a plan that nearly fills the budget):
    /// that of a block of all the model's columns. The whole model keeps the budget's row, so it takes no
    /// interior point (`GLPKSolver.solveByBlocks`), but where it is within the neighbourhood search's size that
    /// search makes more of the time than the heuristic would, so the share stays the tenth of a rounded block.
    static func wholeModelHeuristicSeconds(left: Double, boundReserve: Double, columns: Int, options: AllocationOptions) -> Double {
        heuristicSeconds(left: left, boundReserve: boundReserve, largestBlock: columns, heuristicOnly: columns > options.largestSearchedColumns,
                         options: options)
    }

    /// Rounded regions, and blocks too large for the tree, of more columns than this take their relaxation from
    /// the interior-point method, rounded, and skip the tree (`SolveOptions.interiorRootColumns`). Smaller
    /// regions keep the simplex and the tree, which their gaps need (1,000 x 150 within 0.1%).
    static let interiorRootColumns = 10_000

    /// How deep each round of the neighbourhood search goes: the nodes of its MIP, and its cuts.
    struct RoundDepth {
        var nodes: Int
        var cuts: CutOptions

        /// A block too large for branch-and-bound has better plans close by everywhere, and more rounds
        /// find more of them than deeper ones. 5,000 x 700's 107,255-column block at `--time-limit 120`
        /// (85 s of search from the same plan, -12,411,100): 200 nodes with the blocks' cuts -11,694,500
        /// (807 rounds; -11,694,300 again), 50 -11,641,100 (2,904 rounds), 20 -11,714,200, 10 -12,004,500;
        /// with clique cuts only, 100 nodes -11,658,000, 50 -11,601,500 (3,043 rounds), 30 -11,649,600; 50
        /// without cuts -11,601,000. At most 800 or 2,000 free columns instead of 1,500 did worse.
        static let largeBlock = RoundDepth(nodes: 50, cuts: .cliquesOnly)
        /// A stalled tree's model is small and packed tight: its better plans need deeper rounds. The same
        /// 50 nodes with clique cuts took knowsley-pathways-expanded at 60 s (one core) from -732,410 to
        /// -742,100 in two runs of two (4,308 rounds against 239).
        static let stalledTree = RoundDepth(nodes: 200, cuts: searchSettings.blocks.cuts)
    }

    /// The neighbourhood search for a block too large for branch-and-bound, or for a tree that stalled:
    /// each round frees the work of a few advisers who share schools (or of a few schools that share
    /// advisers) and solves that small MIP with everything else fixed at the plan.
    static func largeBlockSearch(_ f: AllocationFormulation, depth: RoundDepth) -> NeighbourhoodSearch {
        var byAdviser = [[Int]](repeating: [], count: f.scenario.advisers.count)
        var bySchool = [[Int]](repeating: [], count: f.scenario.schools.count)
        for pair in f.pairs {
            let columns = [pair.assigned] + (pair.lead.map { [$0] } ?? [])
            byAdviser[pair.adviser] += columns
            bySchool[pair.school] += columns
        }
        for candidate in f.candidates {
            byAdviser[candidate.adviser].append(candidate.column)
            bySchool[f.pairs[candidate.pair].school].append(candidate.column)
        }
        var search = NeighbourhoodSearch(groupings: [byAdviser.map { $0.sorted() }, bySchool.map { $0.sorted() }],
                                         rounds: 1_000_000, nodeLimitPerRound: depth.nodes, initialGroups: 3,
                                         maximumFreeColumns: 1_500, timeShare: 1, patience: 1_000_000, probeNodes: 0)
        search.roundSettings = searchSettings.blocks
        search.roundSettings?.cuts = depth.cuts
        // A round wants a better plan within its nodes, not a bound: with the blocks' backtracks to the best
        // bound, 5,000 x 700's 107,255-column region ended 126,000 points lower at 120 s.
        search.roundSettings?.backtracking = .bestProjection
        // Now and then every pairing's days at once, pairings and leads held: a transportation problem that
        // moves days along chains of advisers longer than a round's few groups span. 5,000 x 700 at 120 s, four
        // seeds: the large block -11,571,225 -> -11,405,800 on average; the national's -56.6M -> -55.5M at 590 s.
        // With the leads freed too it is a MIP whose 50 nodes never improved the plan.
        var daysOfPair = [[Int]](repeating: [], count: f.pairs.count)
        for candidate in f.candidates { daysOfPair[candidate.pair].append(candidate.column) }
        var wide = NeighbourhoodSearch.WideRound(gates: f.pairs.indices.map {
            .init(gate: f.pairs[$0].assigned, columns: daysOfPair[$0], owner: f.pairs[$0].adviser)
        })
        wide.settings = search.roundSettings
        wide.settings?.cuts = .none
        search.wideRound = wide
        return search
    }

    /// `stage`, with a progress line a second when progress is wanted.
    private static func beatDuring<T>(_ beat: ProgressBeat?, _ stage: () throws -> T) rethrows -> T {
        guard let beat else { return try stage() }
        return try beat.during(stage)
    }

    /// Solves the allocation of `scenario` and returns the plan, or throws `AllocationError` when there is none.
    public static func solve(_ scenario: Scenario, options: AllocationOptions = AllocationOptions()) throws -> AllocationResult {
        let formulationStart = ContinuousClock.now
        let beat = options.progress.map { ProgressBeat(since: formulationStart, report: $0) }
        // Building a national model takes seconds too.
        let formulation = beatDuring(beat) {
            AllocationFormulation(scenario: scenario, basePlan: options.basePlan,
                                  disruptionWeight: options.basePlan == nil ? 0 : options.disruptionWeight,
                                  keepAllFeasible: options.keepAllFeasible)
        }
        if !formulation.impossibleRequirements.isEmpty {
            throw AllocationError.noFeasiblePlan(formulation.impossibleRequirements)
        }
        if !formulation.schoolsWithoutLead.isEmpty {
            // Still write the model when asked, so the user can inspect it.
            if options.writeLP != nil || options.writeMPS != nil {
                try? GLPKSolver.write(formulation.model, lp: options.writeLP, mps: options.writeMPS)
            }
            throw AllocationError.noFeasiblePlan(formulation.eligibility.noLeadReasons(for: formulation.schoolsWithoutLead))
        }
        // Shortfalls a count shows are found in milliseconds here, most particular first; GLPK took 18 s to
        // prove a generated 2,000 x 300 with too few lead places infeasible.
        let kept = keptPairingShortfalls(formulation)
        if !kept.isEmpty { throw AllocationError.noFeasiblePlan(kept) }
        let leadPairs = formulation.possibleLeadPairs()
        if let matching = formulation.eligibility.leadMatching(among: leadPairs), !matching.everySchoolLed {
            throw AllocationError.noFeasiblePlan(formulation.eligibility.leadShortfallReasons(matching))
        }
        // GLPK did not prove a what-if with too small a budget infeasible in 10 s.
        let totals = formulation.eligibility.leadTotalShortfalls(among: leadPairs)
        if !totals.isEmpty { throw AllocationError.noFeasiblePlan(totals) }
        var solveOptions = SolveOptions()
        solveOptions.timeLimitSeconds = options.timeLimitSeconds
        solveOptions.relativeGap = options.relativeGap
        // Every progress line counts from the start of the solve, as the time limit does (GLPK's count from its
        // own), and shows the heuristic's plan until the search has one of its own to show: regions searched
        // apart report none until each has its own.
        if let report = options.progress, let beat {
            solveOptions.progress = { @Sendable (p: SolveProgress) in
                var line = p
                line.elapsedSeconds = seconds(since: formulationStart)
                if line.incumbent == nil { line.incumbent = beat.best }
                report(line)
            }
        }
        solveOptions.shouldStop = options.shouldStop
        solveOptions.nodeLimit = options.nodeLimit
        solveOptions.blockAnswers = options.blockAnswers
        // Measured on the bundled scenarios: a starting plan from the primal heuristic plus best-projection
        // backtracking finds far better plans within a time limit.
        let settings = AllocationSolver.searchSettings
        solveOptions.searchSettings = settings.first
        let threads = max(1, options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        solveOptions.alongside = settings.alongside
        // One core: the first settings for up to 1,000 nodes (aspire-hub is proven in 413), then the second.
        solveOptions.alongsideInTurnAfterNodes = threads > 1 ? nil : 1_000
        // Counted before the formulation clock is read, so the time limit covers it (a sweep of the nonzeros).
        let largestBlock = formulation.largestBlockColumns
        let heuristicOnly = largestBlock > options.largestSearchedColumns
        var formulationSeconds = seconds(since: formulationStart)
        var replanNote = ""
        if let base = options.basePlan, let reach = options.changeReach, options.replan ?? (heuristicOnly ? .neighbourhood : .whole) == .neighbourhood {
            let seconds = formulationSeconds
            if let result = try beatDuring(beat, { try replanAround(formulation, base: base, reach: reach, options: options, formulationSeconds: seconds) }) {
                return result
            }
            // No plan keeps the rest of the base plan: the whole programme is solved, in the time that is left.
            formulationSeconds = AdviserModel.seconds(since: formulationStart)
            replanNote = "Re-planning around the change found no plan that keeps the rest of the base plan; the whole programme was re-planned.\n"
        }
        // A national model's LP does not finish within minutes, so its gap comes from `AllocationBound`,
        // computed after the search: under a time limit it keeps a share of the limit (below), and with a
        // second core it also runs beside the heuristic.
        let needsOwnBound = formulation.model.columns.count >= AllocationSolver.ownBoundColumns
        // With one core and a block whose relaxation comes late or not at all (`slowRelaxationColumns`), its
        // bound comes from these passes alone under a short limit: a tenth of the limit
        // (at most 60 s). Generated 22,000 x 3,000 K=10, --threads 1, 300 s: gap 23% -> 16%, plan
        // -120,583,305 -> -120,699,282 (0.1%). On 5,000 x 700 (largest block 107,255 columns, searched) the
        // tenth left the gap at 3.57% and cost the plan 0.03%, so it keeps the twentieth. With a second core the
        // passes beside the heuristic have done most of the work, and the search makes more of the time: a
        // fiftieth (at most 10 s). 22,000 x 3,000 K=10 at 590 s: 4,197 passes in 25 s moved the bound 43,000
        // points; with 1,575 passes in 10 s the bound was 16,000 looser and the plan 116,000-139,000 better
        // (-116,827,326; gap 12.90% -> 12.82%); 5,000 x 700 at 120 s the same plan and gap (3.96-3.98%).
        let boundShare: (fraction: Double, most: Double) =
            threads > 1 ? (0.02, 10) : largestBlock > AllocationSolver.slowRelaxationColumns ? (0.1, 60) : (0.05, 30)
        // GLPK checks its time limit between simplex iterations; on a national block (700,000 columns) an
        // iteration and a refactorisation take long enough that it stopped 10 s late in 590 s. The margin
        // keeps the whole solve inside the limit.
        let boundSeconds = options.timeLimitSeconds.map { max(1, min(boundShare.most, boundShare.fraction * $0)) }
        let boundReserve = needsOwnBound ? options.timeLimitSeconds.map { boundSeconds! + min(15, 0.025 * $0) } ?? 0 : 0
        // A block too large for GLPK is not given to branch-and-bound (its plan is the heuristic's), so the
        // heuristic gets the time GLPK would have had, less a tenth for the smaller blocks. Under a time limit
        // the neighbourhood search then improves that block's plan in the time the heuristic leaves (it
        // settles before its deadline on 5,000 x 700, in 63-94 s of 262): -41,277,496 -> -40,449,807 there.
        solveOptions.largestSearchedColumns = options.largestSearchedColumns
        if heuristicOnly, options.timeLimitSeconds != nil, largestBlock <= options.largestNeighbourhoodColumns {
            solveOptions.largeModelSearch = largeBlockSearch(formulation, depth: .largeBlock)
        }
        // A stalled tree hands its time to the neighbourhood search.
        if let limit = options.timeLimitSeconds {
            solveOptions.stallSeconds = options.stallSeconds ?? stallSeconds(timeLimit: limit)
            solveOptions.stallSearch = { [formulation] in largeBlockSearch(formulation, depth: .stalledTree) }
            solveOptions.regionStallFraction = regionStall.fraction
            solveOptions.regionStallMinimumSeconds = regionStall.minimumSeconds
            solveOptions.regionStallMaxGap = regionStall.maxGap
            solveOptions.regionStallMaxGapColumns = regionStall.maxGapColumns
        }
        // The tree's LP solutions, rounded and completed by the heuristic, give far better plans than
        // GLPK's own dives on over-subscribed models (measured on the bundled scenarios; README).
        var nodeHeuristic = NodeHeuristic(every: nodeHeuristicEvery) { [formulation] relaxation, deadline in
            StartingPlan.build(formulation, relaxation: relaxation, passes: nodeHeuristicPasses, deadline: deadline)
        }
        if options.timeLimitSeconds != nil {
            nodeHeuristic.atRoot = { [formulation] relaxation, deadline in
                StartingPlan.build(formulation, relaxation: relaxation, passes: rootPassesUnderTimeLimit, deadline: deadline)
            }
        }
        solveOptions.nodeHeuristic = nodeHeuristic
        let heuristicStart = ContinuousClock.now
        // The heuristic's deadline for a share of the seconds left of the time limit.
        func deadlineForHeuristic(_ share: (_ left: Double) -> Double) -> ContinuousClock.Instant? {
            options.timeLimitSeconds.map { limit in heuristicStart + .milliseconds(Int64(share(max(0, limit - formulationSeconds)) * 1000)) }
        }
        let heuristicDeadline = deadlineForHeuristic { left in
            AllocationSolver.heuristicSeconds(left: left, boundReserve: boundReserve, largestBlock: largestBlock, heuristicOnly: heuristicOnly,
                                              options: options)
        }
        // With a second core, the bound's search runs beside the heuristic (which uses one): under a time limit
        // until the heuristic's deadline, else for half the passes it makes after the search, a fixed number so
        // that the bound is the same in every run; those after the search then go on from its prices. Without
        // a time limit the second core had nothing to do for the minutes of a national heuristic, and a Ctrl-C
        // there or in the search left the bound of zero prices (gap 77%, 34% with this at 100 s). Aimed at the
        // heuristic's first plan, those passes move the final bound little: on the generated 1,000 x 150, 2,000
        // passes after 1,000 beside gave -10,915,593 against -10,879,353 for the 2,000 alone, 4,000 after 2,000
        // -11,040,587 against -11,037,599 (plan -11,413,107).
        let beside: BoundBesideHeuristic? = needsOwnBound && threads > 1 ? BoundBesideHeuristic() : nil
        let besidePasses = heuristicDeadline == nil ? AllocationBound.defaultPasses(candidates: formulation.candidates.count) / 2 : nil
        let boundBeside: ((Double) -> Void)? = beside.map { beside in
            { objective in beside.start(formulation, incumbent: objective, deadline: heuristicDeadline, passes: besidePasses,
                                        shouldStop: options.shouldStop) }
        }
        // The heuristic's plans also go to the progress line, when there is one.
        var firstPlan = boundBeside
        var betterPlan: ((Double) -> Void)? = beside.map { beside in { beside.improved(to: $0) } }
        if let beat {
            firstPlan = { [boundBeside] objective in
                beat.plan(objective)
                boundBeside?(objective)
            }
            betterPlan = { objective in
                beat.plan(objective)
                beside?.improved(to: objective)
            }
        }
        var startingPlanNote = ""
        beatDuring(beat) {
            let (seed, carried, note) = nearestFirstPlan(formulation, options: options, heuristicOnly: heuristicOnly,
                                                         deadline: heuristicDeadline, beside: beside)
            startingPlanNote = note
            solveOptions.startingSolution = carried ?? StartingPlan.build(formulation, seed: seed, deadline: heuristicDeadline,
                                                                          shouldStop: options.shouldStop, firstPlan: firstPlan, betterPlan: betterPlan,
                                                                          twoThreads: threads > 1)
        }
        // A plan that nearly fills the budget has the model solved as one (`GLPKSolver.solvesWhole`), without
        // the interior point (the budget's row holds every column). Beyond the neighbourhood search's size (a
        // national model of 700,000 columns) that search's rounds are slow, and the heuristic goes on from its
        // plan for the share of a model that size, the bound beside it too. The generated 22,000 x 3,000 K=10
        // with its budget cut to £120 million, `--time-limit 300`: a tenth for the heuristic -163,124,834 (gap
        // 15%), going on -152,716,037 (8.13%). Within that size the search does better than the heuristic
        // would: 5,000 x 700 with its budget cut to £26 million, 120 s, four runs each: -55,529,000 on average
        // with a tenth, -55,753,000 going on.
        var besideOutcome: (bound: AllocationBound, search: AllocationBound.Search?)?
        if let short = heuristicDeadline, let budgetRow = formulation.budgetRow, let plan = solveOptions.startingSolution,
           let whole = deadlineForHeuristic({ left in
               AllocationSolver.wholeModelHeuristicSeconds(left: left, boundReserve: boundReserve, columns: formulation.model.columns.count,
                                                           options: options)
           }),
           whole > short, options.shouldStop?() != true, GLPKSolver.solvesWhole(formulation.model, linkingRows: [budgetRow], start: plan) {
            let earlier = beside?.finish()
            let again = beside.map { _ in BoundBesideHeuristic() }
            let objective = formulation.model.objectiveValue(plan)
            again?.start(formulation, incumbent: objective, deadline: whole, shouldStop: options.shouldStop, from: earlier?.search)
            let continuedAt = ContinuousClock.now
            beatDuring(beat) {
                let seed = PlanExtractor.plan(from: plan, formulation: formulation, status: .feasible, objective: nil, bound: nil, gap: nil)
                let betterPlan: (Double) -> Void = { objective in
                    beat?.plan(objective)
                    again?.improved(to: objective)
                }
                if let continued = StartingPlan.build(formulation, seed: seed, deadline: whole, shouldStop: options.shouldStop,
                                                      betterPlan: betterPlan, twoThreads: threads > 1),
                   formulation.model.direction.isBetter(formulation.model.objectiveValue(continued), than: objective) {
                    solveOptions.startingSolution = continued
                }
            }
            startingPlanNote += String(format: "The starting plan nearly fills the budget, so the model is solved as one: the heuristic went on from it for %.2f s more (objective %.2f -> %.2f).\n",
                                  seconds(since: continuedAt), objective, formulation.model.objectiveValue(solveOptions.startingSolution ?? plan))
            besideOutcome = again?.finish() ?? earlier
        } else {
            besideOutcome = beside?.finish()
        }
        // A region large enough to hand its tree over to the neighbourhood search has its first relaxation
        // rounded too, as the whole model's is: seed 2 of the generated 1,000 x 150, its 9,818-column region
        // alone: from the heuristic's 132,030, the search reached 139,485 in 20 s; rounded, 146,217 at once.
        if options.timeLimitSeconds != nil, let start = solveOptions.startingSolution {
            let rounding = StartingPlan.RegionRounding(formulation, start: start)
            solveOptions.regionRootHeuristic = { columns, relaxation, deadline in
                rounding.plan(columns: columns, relaxation: relaxation, passes: rootPassesUnderTimeLimit, deadline: deadline)
            }
            solveOptions.regionRootHeuristicColumns = regionRootHeuristicColumns
            solveOptions.regionRootRelaxationShare = regionRootRelaxation.share
            solveOptions.regionRootRelaxationColumns = regionRootRelaxation.maxColumns
            solveOptions.interiorRootColumns = interiorRootColumns
        }
        // The bound's choice of pairings at its prices steers the large block's guided rounds.
        if let outcome = besideOutcome, let search = outcome.search, solveOptions.largeModelSearch?.wideRound != nil {
            solveOptions.largeModelSearch?.wideRound?.guide = outcome.bound.pricedPairings(at: search)
        }
        let heuristicSeconds = seconds(since: heuristicStart)
        if let limit = options.timeLimitSeconds {
            solveOptions.timeLimitSeconds = max(0.001, limit - formulationSeconds - heuristicSeconds - boundReserve)
        }
        var solution: Solution
        do {
            if options.writeLP != nil || options.writeMPS != nil {
                try GLPKSolver.write(formulation.model, lp: options.writeLP, mps: options.writeMPS)
            }
            // Advisers and schools that share no eligible pair are separate problems; only the budget joins them.
            solution = try GLPKSolver.solveByBlocks(formulation.model, linkingRows: formulation.budgetRow.map { [$0] } ?? [],
                                                    options: solveOptions, blockSettings: settings.blocks, concurrency: threads)
        } catch let error as GLPKError {
            throw AllocationError.solver(error.description)
        }
        solution.log = replanNote + startingPlanNote + solution.log
        if solution.status == .feasible, let objective = solution.objective, needsOwnBound || solution.bestBound == nil {
            let boundStart = ContinuousClock.now
            let deadline = boundSeconds.map { boundStart + .milliseconds(Int64($0 * 1000)) }
            let bound = besideOutcome?.bound ?? AllocationBound(formulation)
            beat?.plan(objective)
            if let search = beatDuring(beat, { bound.search(incumbent: objective, direction: 1, deadline: deadline, shouldStop: options.shouldStop,
                                                             from: besideOutcome?.search) }) {
                // Where a region's own tree proved more than its share of the priced bound, its bound counts there.
                let byBlock = solution.blockBounds.map { bound.bound(search, byBlock: $0, columns: formulation.model.columns.count) }
                let best = min(solution.bestBound ?? .infinity, max(min(search.bound, byBlock ?? .infinity), objective))
                solution.bestBound = best
                solution.gap = abs(objective - best) / (1e-9 + abs(objective))
                let beside = besideOutcome?.search.map { String(format: "%d passes beside the heuristic (%.2f there), then ", $0.passes, $0.bound) } ?? ""
                let regions = byBlock.map { String(format: "taken region by region with the regions' own bounds: %.2f; ", $0) } ?? ""
                solution.log += String(format: "Bound from priced capacity (AllocationBound): %.2f; ", search.bound) + regions + beside
                    + String(format: "%d passes in %.2f s after the search (steps halved after %d without a better bound)\n",
                             search.passes, seconds(since: boundStart), search.patience)
            }
            solution.seconds += seconds(since: boundStart)
        }
        if solution.status != .optimal && solution.status != .feasible { options.logWithoutPlan?(solution.log) }
        switch solution.status {
        case .infeasible, .unbounded:
            throw AllocationError.noFeasiblePlan(diagnoseInfeasibility(formulation))
        case .noSolution:
            let stopped = options.shouldStop?() ?? false
            let byNodes = !stopped && solution.stoppedByNodeLimit && !solution.stoppedByTimeLimit
            throw AllocationError.noPlanWithinLimit(seconds: stopped ? nil : options.timeLimitSeconds, nodes: byNodes ? options.nodeLimit : nil)
        case .optimal, .feasible:
            break
        }
        let status: Plan.Status = solution.status == .optimal ? .optimal
            : .unproven(stoppedByTimeLimit: solution.stoppedByTimeLimit, stoppedByRequest: options.shouldStop?() ?? false)
        let plan = PlanExtractor.plan(from: solution.columnValues, formulation: formulation, status: status,
                                      objective: solution.objective, bound: solution.bestBound,
                                      gap: solution.status == .optimal ? 0 : solution.gap)
        var result = AllocationResult(plan: plan, seconds: heuristicSeconds + solution.seconds, solverLog: solution.log,
                                      nodes: solution.nodes, stoppedByNodeLimit: solution.stoppedByNodeLimit)
        result.formulationSeconds = formulationSeconds
        result.heuristicSeconds = heuristicSeconds
        result.searchSeconds = solution.seconds
        result.disruptionBonus = disruptionBonus(plan, formulation)
        return result
    }

    /// Points `plan`'s objective includes for the base pairings it keeps (what-if).
    static func disruptionBonus(_ plan: Plan, _ formulation: AllocationFormulation) -> Double {
        guard formulation.disruptionWeight > 0 else { return 0 }
        var bonus = 0.0
        for a in plan.assignments {
            guard let baseRole = formulation.basePairs[PairKey(adviser: a.adviser, school: a.school)] else { continue }
            bonus += formulation.disruptionWeight * (baseRole == .lead && a.role == .lead ? 2 : 1)
        }
        return bonus
    }

    /// Neighbourhoods of more columns than this keep the local search's plan when only the neighbourhood of a
    /// change is planned again: GLPK's LP relaxation of one is slow (generated 22,000 x 3,000: 12,537-18,697
    /// columns, 20 s for 20 nodes and 61-159 s for 300, and no better plan than its start), where those of the
    /// generated 430 x 65 (1,045-2,056 columns) take 0.7-2.9 s for 300 nodes.
    public static let largestReplannedColumns = 5_000

    /// The what-if planned again around a local change only (`Replan.around`), or nil when that finds no plan
    /// (the whole programme is then solved as usual).
    static func replanAround(_ f: AllocationFormulation, base: Plan, reach: ScenarioChange.Reach, options: AllocationOptions,
                             formulationSeconds: Double) throws -> AllocationResult? {
        let began = ContinuousClock.now
        let outcome = try Replan.around(f, base: base, advisers: reach.advisers, schools: reach.schools, nodeLimit: options.nodeLimit,
                                        timeLimitSeconds: options.timeLimitSeconds.map { max(0.001, $0 - formulationSeconds) },
                                        shouldStop: options.shouldStop, largestSearched: largestReplannedColumns)
        guard outcome.found else { return nil }
        let objective = f.model.objectiveValue(outcome.values)
        let plan = PlanExtractor.plan(from: outcome.values, formulation: f, status: .unproven(stoppedByTimeLimit: outcome.stoppedByTimeLimit, stoppedByRequest: options.shouldStop?() ?? false),
                                      objective: objective, bound: nil, gap: nil)
        let how = outcome.nothingToReplan ? "nothing to re-plan: the base plan still holds"
            : "\(outcome.schools) school\(outcome.schools == 1 ? "" : "s") re-planned" + (outcome.searchedLocallyOnly ? " by local search (\(outcome.columns) columns)"
                : ", searched by GLPK (\(outcome.columns) columns" + (outcome.proven ? ", proven best there)" : ")"))
        var result = AllocationResult(plan: plan, seconds: seconds(since: began), solverLog: "Re-planned around the change: \(how).\n",
                                      nodes: 0, stoppedByNodeLimit: outcome.stoppedByNodeLimit)
        result.formulationSeconds = formulationSeconds
        result.searchSeconds = result.seconds
        result.disruptionBonus = disruptionBonus(plan, f)
        result.replannedSchools = outcome.schools
        return result
    }

    /// Pairings that must be kept (required by a change file, or the base plan's with
    /// --keep-all-feasible) beyond an adviser's max_schools or capacity, or two fixed leads for one school:
    /// one line each, naming what to change. Counted before any search.
    static func keptPairingShortfalls(_ f: AllocationFormulation) -> [String] {
        let s = f.scenario
        func name(_ a: Int) -> String { "\(s.advisers[a].id) (\(s.advisers[a].name))" }
        let required = f.requiredKeys
        var keptSchools = [Int](repeating: 0, count: s.advisers.count), requiredSchools = keptSchools
        var keptLeads = keptSchools, leadsFromBase = keptSchools
        var keptLeadLoad = [Double](repeating: 0, count: s.advisers.count)
        var fixedLeads = [[Int]](repeating: [], count: s.schools.count)
        for pair in f.pairs where f.isFixed(pair.assigned) {
            let isRequired = f.requiredPairing(pair, among: required)
            keptSchools[pair.adviser] += 1
            if isRequired { requiredSchools[pair.adviser] += 1 }
            guard f.isFixed(pair.lead) else { continue }
            keptLeads[pair.adviser] += 1
            if !isRequired { leadsFromBase[pair.adviser] += 1 }
            keptLeadLoad[pair.adviser] += pair.leadLoad
            fixedLeads[pair.school].append(pair.adviser)
        }
        var reasons: [String] = []
        func kept(_ a: Int) -> String {
            let fromBase = keptSchools[a] - requiredSchools[a]
            return fromBase == 0 ? "is required at \(keptSchools[a]) schools"
                : "must keep \(keptSchools[a]) schools (\(requiredSchools[a]) required, \(fromBase) kept from the base plan by --keep-all-feasible)"
        }
        var overAdvisers = 0
        for a in s.advisers.indices {
            let adviser = s.advisers[a]
            let tooMany = keptSchools[a] > adviser.maxSchools, tooLong = keptLeadLoad[a] > adviser.capacityDays + 1e-9
            guard tooMany || tooLong else { continue }
            overAdvisers += 1
            guard overAdvisers <= 5 else { continue }
            let orWithout = keptSchools[a] > requiredSchools[a] ? ", or run without --keep-all-feasible" : ""
            if tooMany {
                reasons.append("\(name(a)) \(kept(a)), but max_schools is \(adviser.maxSchools); raise it, or drop some of these pairings\(orWithout)")
            }
            if tooLong {
                let fromBase = leadsFromBase[a] > 0 ? " (\(leadsFromBase[a]) kept from the base plan by --keep-all-feasible)" : ""
                reasons.append("\(name(a)) must lead \(keptLeads[a]) school\(keptLeads[a] == 1 ? "" : "s")\(fromBase), \(formatNumber(keptLeadLoad[a].rounded(toPlaces: 2))) days with travel "
                    + "where it counts, but capacity_days is \(formatNumber(adviser.capacityDays.rounded(toPlaces: 2))); raise it, or drop some of these leads\(orWithout)")
            }
        }
        if overAdvisers > 5 { reasons.append("\(overAdvisers - 5) more advisers like these") }
        for school in s.schools.indices where fixedLeads[school].count > 1 {
            reasons.append("school \(s.schools[school].id) (\(s.schools[school].name)) must be led by each of \(fixedLeads[school].map(name).joined(separator: " and ")), "
                + "but has one lead; drop one of these requirements, or run without --keep-all-feasible")
        }
        return reasons
    }

    /// Every school has an eligible lead, and no count shows a shortfall (`keptPairingShortfalls`, `leadMatching`,
    /// `leadTotalShortfalls`), yet no plan exists: leads' days, school limits or budget cannot all be met together.
    static func diagnoseInfeasibility(_ f: AllocationFormulation) -> [String] {
        let required = f.requiredKeys
        let keepsBasePlan = f.pairs.contains { f.isFixed($0.assigned) && !f.requiredPairing($0, among: required) }
        if keepsBasePlan || !f.scenario.requiredPairs.isEmpty {
            return ["the pairings that must be kept (" + (keepsBasePlan ? "every still-allowed pairing of the base plan with --keep-all-feasible" : "required by the change file")
                    + ") cannot all fit with a lead for every school within advisers' capacity, max_schools and the budget; "
                    + (keepsBasePlan ? "try without --keep-all-feasible" : "drop some required pairings")]
        }
        let budget = f.scenario.programme.budget == nil ? "" : ", raising the budget"
        return ["every school has an eligible lead adviser, but the leads cannot all be fitted together within advisers' capacity, max_schools and the budget; try raising capacity or max_schools\(budget), lowering lead_days, or relaxing the travel limit"]
    }
}

