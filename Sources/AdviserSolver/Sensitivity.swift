import Foundation
import AdviserModel
import GLPK

/// How to run a sensitivity analysis.
public struct SensitivityOptions: Sendable {
    /// How much each re-solve plans again; nil: the whole programme when GLPK searches the model's largest
    /// region, the neighbourhood when that region is left to the heuristic (`AllocationSolver.largestSearchedColumns`).
    public var replan: ReplanScope?
    /// Branch-and-bound nodes for each re-solve: the same answer on any machine, unlike a time limit.
    public var nodeLimit: Int = 300
    /// Seconds for each re-solve as well, or nil: sooner answers that then depend on the machine's speed.
    public var timeLimitSeconds: Double?
    /// Only these advisers are re-solved without (in the scenario's order); nil for every adviser. A large
    /// programme has thousands, each re-solve taking seconds at best.
    public var advisers: Set<String>?
    /// Re-planned around an adviser, neighbourhoods of more columns than this keep the local search's plan
    /// (`AllocationSolver.largestReplannedColumns`; tests lower it).
    public var largestSearchedNeighbourhood = AllocationSolver.largestReplannedColumns
    /// Models with more columns than this get no marginal values: GLPK's simplex does not solve their LP
    /// relaxation in minutes (`AllocationSolver.largestSearchedColumns`; tests lower it).
    public var largestRelaxedColumns = AllocationSolver.largestSearchedColumns
    /// Told before each re-solve: how many advisers are done, of how many, and the adviser now left out.
    public var progress: (@Sendable (_ done: Int, _ total: Int, _ adviser: String) -> Void)?
    /// Asked during each re-solve and before the next (Ctrl-C): once true, the re-solve under way keeps its
    /// best plan so far and the advisers after it are not re-solved.
    public var shouldStop: (@Sendable () -> Bool)?
    public init() {}
}

/// What the plan loses when one adviser is no longer available.
public struct AdviserLoss: Sendable, Equatable {
    public var adviser: String
    public var unmetDaysBefore: Double
    /// Unmet need-days of the re-solve without the adviser; equal to `unmetDaysBefore` when there is no plan
    /// (`feasible` false, or no plan found within the node limit: `objectiveAfter` is nil then).
    public var unmetDaysAfter: Double
    public var objectiveBefore: Double
    public var objectiveAfter: Double?
    /// False: without them no plan keeps the hard rules (some school has no possible lead, or the leads no longer fit).
    public var feasible: Bool
    /// Words for the reader: why there is no plan, how the re-solve ended, which needs go unmet.
    public var note: String

    public init(adviser: String, unmetDaysBefore: Double, unmetDaysAfter: Double, objectiveBefore: Double,
                objectiveAfter: Double?, feasible: Bool, note: String) {
        self.adviser = adviser; self.unmetDaysBefore = unmetDaysBefore; self.unmetDaysAfter = unmetDaysAfter
        self.objectiveBefore = objectiveBefore; self.objectiveAfter = objectiveAfter; self.feasible = feasible; self.note = note
    }

    /// The plan without the adviser scores better than the base plan. Taking an adviser away can only make the
    /// best plan worse, so the base was not optimal, and the change is what the re-solve's search found
    /// beyond the base's as much as what the adviser is worth (a national base stopped by its time limit).
    public var beatsBase: Bool {
        objectiveAfter.map { $0 > objectiveBefore + 1e-6 * max(1, abs(objectiveBefore)) } ?? false
    }
}

/// Objective points gained per extra day of something, from the duals of the LP relaxation.
public struct MarginalValue: Sendable, Equatable {
    /// An adviser id or an area.
    public var subject: String
    /// Objective points per extra day, from LP duals of the relaxation (not of the integer plan).
    public var value: Double
    public init(subject: String, value: Double) { self.subject = subject; self.value = value }
}

/// A school with few advisers who may work with it, or lead it.
public struct HardSchool: Sendable, Equatable {
    public var school: String
    public var name: String
    /// Advisers eligible for the school (phase, independence, travel limit, expertise in one of its needs).
    public var eligibleAdvisers: Int
    /// Of those, advisers whose capacity holds the lead days plus travel.
    public var eligibleLeads: Int
    public init(school: String, name: String, eligibleAdvisers: Int, eligibleLeads: Int) {
        self.school = school; self.name = name; self.eligibleAdvisers = eligibleAdvisers; self.eligibleLeads = eligibleLeads
    }
}

public struct SensitivityReport: Sendable {
    public var base: Plan
    /// One per adviser re-solved without (every adviser, or those `SensitivityOptions.advisers` names), in the
    /// scenario's adviser order.
    public var losses: [AdviserLoss]
    /// One per adviser, in the scenario's adviser order.
    public var adviserDayValues: [MarginalValue]
    /// One per area that has needs, in the order areas first appear in the needs.
    public var areaDayValues: [MarginalValue]
    /// Why there are no marginal values (both lists empty), or nil when they were computed.
    public var marginalValuesSkipped: String?
    /// How much each re-solve planned again.
    public var replan: ReplanScope = .whole
    /// Every school, fewest eligible advisers first (then fewest possible leads, then school id).
    public var hardestSchools: [HardSchool]
    public init(base: Plan, losses: [AdviserLoss], adviserDayValues: [MarginalValue], areaDayValues: [MarginalValue], hardestSchools: [HardSchool]) {
        self.base = base; self.losses = losses; self.adviserDayValues = adviserDayValues; self.areaDayValues = areaDayValues
        self.hardestSchools = hardestSchools
    }
}

public enum Sensitivity {
    /// For each adviser: re-solve without them (warm-started from the base plan with that adviser's work removed, with
    /// the node limit; the whole programme or only around them, `SensitivityOptions.replan`) and report unmet
    /// need-days and objective; LP duals of the capacity rows (relaxation, stated as
    /// such) give the value of one more day per adviser; for each area, the value of one more day of expert supply is
    /// estimated from the duals of that area's cover rows; schools sorted by fewest eligible advisers.
    ///
    /// The marginal values come from one LP: the allocation model with every integer variable relaxed to a continuous
    /// one. They describe that relaxation, not the integer plan, and hold only for small changes.
    ///
    /// - Adviser day: the dual of `capacity_<adviser>`. The model also caps the capacity an adviser spends at one school
    ///   (`load_<adviser>_<school>`, a valid inequality whose big-M is the adviser's capacity when their work there could
    ///   fill it); raising capacity by a day raises those caps too, so their duals count as well, weighted by the pair
    ///   variable's relaxed value: value = dual(capacity) + Σ dual(load) × y. Without this a degenerate LP can put the
    ///   whole value on a load row and report 0 for an adviser whose capacity binds. At a kink (capacity used up
    ///   exactly as the last need-day they could do is met) any value between the two slopes is a valid dual and
    ///   GLPK's is reported: it may overstate the next day there.
    /// - Area day: one more day of expertise in an area, supplied free of capacity, travel and cost to whichever of the
    ///   area's needs it is worth most (it may be split between them in the relaxation). A free day entering a need's
    ///   cover row (`Σ x + unmet = demand`) is worth minus that row's dual, so the cover-row duals are the natural
    ///   estimate: where the relaxation leaves some of a need unmet, −dual is its unmet penalty (10,000 × priority with
    ///   default weights). But where the relaxation meets a need exactly, the LP is degenerate and any value between
    ///   what the current supplier earns there and the penalty is a valid dual (a fully met need can read 10,000).
    ///   So the value is measured rather than read: the relaxation is solved once more per area with a free-day column
    ///   in each of the area's cover rows, together at most one day, and the value is the objective gained. It is at
    ///   least 0 (a day nobody can use is left unused), at most the best −dual of the area's cover rows. A real new
    ///   expert would also spend travel and could not split their day, so read it as an upper estimate and as a
    ///   ranking of areas.
    public static func analyse(_ scenario: Scenario, base: Plan, options: SensitivityOptions = SensitivityOptions()) throws -> SensitivityReport {
        let formulation = AllocationFormulation(scenario: scenario)
        let objectiveBefore = base.objective ?? 0
        let unmetBefore = base.unmetDays
        let baseUnmet = Dictionary(base.unmet.map { ("\($0.school) \($0.area)", $0.days) }, uniquingKeysWith: +)

        let limits = "\(options.nodeLimit) nodes" + (options.timeLimitSeconds.map { " or \(formatNumber($0)) s" } ?? "")
        let chosen = scenario.advisers.filter { options.advisers?.contains($0.id) ?? true }
        // An adviser's absence changes only the regions they could work in: the others' searches are answered once.
        let answers = BlockAnswers()
        let scope = options.replan ?? (formulation.largestBlockColumns > AllocationSolver.largestSearchedColumns ? .neighbourhood : .whole)
        @Sendable func lossWithout(_ adviser: Adviser) throws -> AdviserLoss {
            var without = scenario
            without.advisers.removeAll { $0.id == adviser.id }
            without.roster.removeAll { $0.adviser == adviser.id }
            var loss = AdviserLoss(adviser: adviser.id, unmetDaysBefore: unmetBefore, unmetDaysAfter: unmetBefore,
                                   objectiveBefore: objectiveBefore, objectiveAfter: nil, feasible: true, note: "")
            // Before anything is built: after Ctrl-C the advisers still to come take no time at all.
            if options.shouldStop?() == true {
                loss.note = "not re-solved: stopped by Ctrl-C"
                return loss
            }
            // A re-plan around the adviser asks its own model (its eligibility table takes a second at national
            // scale); a whole re-solve builds its model inside, so asks the eligibility alone.
            let model = scope == .neighbourhood ? AllocationFormulation(scenario: without) : nil
            let schoolsWithoutLead = model?.schoolsWithoutLead ?? EligibilityTable(scenario: without).schoolsNobodyMayLead()
            if !schoolsWithoutLead.isEmpty {
                loss.feasible = false
                loss.note = "no possible lead for " + schoolsWithoutLead.map { id in
                    "\(id) (\(without.school(id)?.name ?? id))"
                }.joined(separator: ", ")
                return loss
            }
            let replanned: Replanned
            switch scope {
            case .whole:
                var search = AllocationOptions(timeLimitSeconds: options.timeLimitSeconds, nodeLimit: options.nodeLimit)
                search.shouldStop = options.shouldStop
                search.blockAnswers = answers
                replanned = try wholeProgramme(without, base: base, search: search, limits: limits, shouldStop: options.shouldStop)
            case .neighbourhood:
                replanned = try neighbourhood(model!, base: base, options: options, limits: limits)
            }
            switch replanned {
            case .infeasible(let why):
                loss.feasible = false
                loss.note = why
            case .noPlan(let why):
                loss.note = why
            case .plan(let objective, let unmet, let ending):
                loss.unmetDaysAfter = unmet.reduce(0) { $0 + $1.days }
                loss.objectiveAfter = objective
                var words: [String] = loss.beatsBase ? ["better than the base plan, so not the adviser's worth"] : []
                var newlyUnmet: [(String, Double)] = []
                var after: [String: Double] = [:]
                for u in unmet { after[u.key, default: 0] += u.days }
                for key in after.keys.sorted() {
                    let extra = after[key]! - (baseUnmet[key] ?? 0)
                    if extra > 1e-9 { newlyUnmet.append((key, extra)) }
                }
                if !newlyUnmet.isEmpty {
                    newlyUnmet.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
                    let shown = newlyUnmet.prefix(3).map { "\($0.0) +\(formatNumber($0.1.rounded(toPlaces: 1)))" }
                    words.append("more unmet: " + shown.joined(separator: ", ") + (newlyUnmet.count > 3 ? ", …" : ""))
                }
                words += ending
                loss.note = words.joined(separator: "; ")
            }
            return loss
        }
        // Re-plans around different advisers share nothing: with two cores, two at a time (each answer in its
        // place, so the report is the same). A whole re-solve already searches with both cores.
        let workers = scope == .neighbourhood ? min(2, ProcessInfo.processInfo.activeProcessorCount, chosen.count) : 1
        let losses = try InParallel.map(chosen.count, workers: workers) { k in
            options.progress?(k, chosen.count, chosen[k].id)
            return try lossWithout(chosen[k])
        }

        var report = SensitivityReport(base: base, losses: losses, adviserDayValues: [], areaDayValues: [],
                                       hardestSchools: hardestSchools(formulation))
        report.replan = scope
        if formulation.model.columns.count > options.largestRelaxedColumns {
            report.marginalValuesSkipped = "Not computed: the model has \(formulation.model.columns.count) columns, and GLPK's simplex does not"
                + " solve the LP relaxation of one with more than \(options.largestRelaxedColumns) in minutes."
        } else {
            (report.adviserDayValues, report.areaDayValues) = try marginalValues(formulation)
        }
        return report
    }

    /// What a re-solve without an adviser gave.
    enum Replanned {
        /// No plan keeps the hard rules, and why.
        case infeasible(String)
        /// None found within the limits, and why.
        case noPlan(String)
        /// The plan's objective, its unmet need-days keyed "school area", and words on how the search ended.
        case plan(objective: Double, unmet: [(key: String, days: Double)], ending: [String])
    }

    /// The whole programme solved again without the adviser, from the base plan with their work removed.
    static func wholeProgramme(_ without: Scenario, base: Plan, search: AllocationOptions, limits: String,
                               shouldStop: (@Sendable () -> Bool)?) throws -> Replanned {
        switch try SeededSolve.run(without, seed: base, search: search) {
        case .infeasible(let reasons):
            return .infeasible("no plan keeps the hard rules: " + reasons.joined(separator: "; "))
        case .noPlan:
            return .noPlan("no plan found within " + limits)
        case .plan(let plan, _, let stopped):
            let timedOut = plan.status == .timeLimit
            let interrupted = !stopped && !timedOut && shouldStop?() == true
            var ending: [String] = []
            if let gap = plan.gap, stopped || timedOut || interrupted {
                let why = stopped ? "at \(search.nodeLimit ?? 0) nodes" : timedOut ? "at the time limit" : "by Ctrl-C"
                ending.append("re-solve stopped \(why), gap \(formatNumber((gap * 100).rounded(toPlaces: 1)))%")
            }
            return .plan(objective: plan.objective ?? 0, unmet: plan.unmet.map { ("\($0.school) \($0.area)", $0.days) }, ending: ending)
        }
    }

    /// The programme without the adviser planned again around them only (`Replan.around`): their schools are
    /// those of the base plan's work that no longer exists.
    static func neighbourhood(_ f: AllocationFormulation, base: Plan, options: SensitivityOptions,
                              limits: String) throws -> Replanned {
        let without = f.scenario
        let outcome = try Replan.around(f, base: base, nodeLimit: options.nodeLimit, timeLimitSeconds: options.timeLimitSeconds,
                                        shouldStop: options.shouldStop, largestSearched: options.largestSearchedNeighbourhood)
        let unmet = zip(without.needs, f.unmetColumns).compactMap { need, u in
            outcome.values[u] > 1e-9 ? (key: "\(need.school) \(need.area)", days: outcome.values[u] * f.dayUnit) : nil
        }
        let objective = f.model.objectiveValue(outcome.values)
        if outcome.nothingToReplan { return .plan(objective: objective, unmet: unmet, ending: ["no work in the base plan"]) }
        let around = "\(outcome.schools) school\(outcome.schools == 1 ? "" : "s") re-planned"
        var ending = [around]
        if outcome.searchedLocallyOnly {
            guard outcome.found else { return .noPlan("no new lead for a school they led without wider changes (\(around)); --replan whole may find one") }
            ending = [around + " by local search (\(outcome.columns) columns, too many for GLPK's search)"]
        } else if !outcome.found {
            let none = outcome.infeasible ? "no plan that keeps the rest of the base plan" : "no plan found within " + limits
            return .noPlan(none + " (\(around)); --replan whole may find one")
        }
        let why = outcome.stoppedByNodeLimit ? "at \(options.nodeLimit) nodes" : outcome.stoppedByTimeLimit ? "at the time limit"
            : outcome.stoppedByStop ? "by Ctrl-C" : nil
        if let why {
            let distance = outcome.bound.map { ", at most \(formatNumber(abs($0 - objective).rounded())) points from the best there" } ?? ""
            ending.append("stopped \(why)" + distance)
        }
        return .plan(objective: objective, unmet: unmet, ending: ending)
    }

    /// Marginal values from the duals of the LP relaxation (see `analyse`).
    static func marginalValues(_ f: AllocationFormulation) throws -> ([MarginalValue], [MarginalValue]) {
        let s = f.scenario
        var relaxed = f.model
        for j in relaxed.columns.indices where relaxed.columns[j].kind != .continuous {
            if relaxed.columns[j].kind == .binary {
                relaxed.columns[j].lower = max(relaxed.columns[j].lower ?? 0, 0)
                relaxed.columns[j].upper = min(relaxed.columns[j].upper ?? 1, 1)
            }
            relaxed.columns[j].kind = .continuous
        }
        var rowByName: [String: Int] = [:]
        for (i, row) in relaxed.rows.enumerated() { rowByName[row.name] = i }
        // Per area, the relaxation once more with one free day of the area's expertise that any of its needs
        // may take: a row of one day and a column into each of the area's cover rows. Each is solved from the
        // relaxation's own optimal basis, a few iterations where a fresh LP took 1.7 s (generated 430 x 65).
        let areaNames = areas(s)
        let freeDays = areaNames.map { area in
            LPExtension(rowUpper: 1 / f.dayUnit, columns: s.needs.filter { $0.area == area }.compactMap { need in
                rowByName[ModelBuilder.symbol("cover_\(need.school)_\(need.area)")].map { (row: $0, upper: Double(AllocationFormulation.units(need.days, f.dayUnit))) }
            })
        }
        let solution: Solution, withFreeDay: [Double?]
        do {
            (solution, withFreeDay) = try GLPKSolver.solve(relaxed, thenExtensions: freeDays)
        } catch let error as GLPKError {
            throw AllocationError.solver(error.description)
        }
        guard solution.status == .optimal, solution.rowDuals.count == relaxed.rows.count else {
            // No relaxation optimum (the scenario cannot be planned at all): no marginal values to give.
            return (s.advisers.map { MarginalValue(subject: $0.id, value: 0) }, areaNames.map { MarginalValue(subject: $0, value: 0) })
        }
        let duals = solution.rowDuals

        // Each pair's column in its load row, and the pairs by adviser, found once: a search of every coefficient
        // for each pair, and of every pair for each adviser, grew with the square of the programme.
        var loadCoefficient: [Int: Double] = [:]
        let assignedColumns = Set(f.pairs.map(\.assigned))
        for c in relaxed.coefficients where assignedColumns.contains(c.column) && loadCoefficient[c.row * relaxed.columns.count + c.column] == nil {
            loadCoefficient[c.row * relaxed.columns.count + c.column] = c.value
        }
        var pairsOfAdviser = [[AllocationFormulation.PairVariables]](repeating: [], count: s.advisers.count)
        for pair in f.pairs { pairsOfAdviser[pair.adviser].append(pair) }
        var adviserValues: [MarginalValue] = []
        for (a, adviser) in s.advisers.enumerated() {
            var value = 0.0
            if let row = rowByName[ModelBuilder.symbol("capacity_\(adviser.id)")] { value += duals[row] }
            for pair in pairsOfAdviser[a] {
                let names = "\(adviser.id)_\(s.schools[pair.school].id)"
                guard let load = rowByName[ModelBuilder.symbol("load_\(names)")] else { continue }
                // Only where the big-M is the capacity itself: then the row moves with it.
                let bigM = loadCoefficient[load * relaxed.columns.count + pair.assigned].map { -$0 } ?? 0
                if abs(bigM - adviser.capacityDays) <= 1e-9 * max(1, adviser.capacityDays) {
                    value += duals[load] * solution.columnValues[pair.assigned]
                }
            }
            adviserValues.append(MarginalValue(subject: adviser.id, value: clean(value)))
        }

        let baseValue = solution.objective ?? 0
        let areaValues = zip(areaNames, withFreeDay).map { area, objective in
            MarginalValue(subject: area, value: clean(objective.map { max(0, $0 - baseValue) } ?? 0))
        }
        return (adviserValues, areaValues)
    }

    /// Areas with needs, in the order they first appear.
    static func areas(_ s: Scenario) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for need in s.needs where seen.insert(need.area).inserted { out.append(need.area) }
        return out
    }

    /// Rounds away solver noise (1e-12 and -0) so reports are stable.
    static func clean(_ x: Double) -> Double {
        let r = (x * 1e6).rounded() / 1e6
        return r == 0 ? 0 : r
    }

    static func hardestSchools(_ f: AllocationFormulation) -> [HardSchool] {
        let s = f.scenario
        var advisers = [Int](repeating: 0, count: s.schools.count)
        var leads = [Int](repeating: 0, count: s.schools.count)
        for pair in f.pairs {
            advisers[pair.school] += 1
            let load = s.rules.leadDays * s.capacityPerVisitDay(travelMinutes: pair.travelMinutes)
            if pair.lead != nil, load <= s.advisers[pair.adviser].capacityDays + 1e-9 { leads[pair.school] += 1 }
        }
        return s.schools.enumerated().map { i, school in
            HardSchool(school: school.id, name: school.name, eligibleAdvisers: advisers[i], eligibleLeads: leads[i])
        }.sorted {
            ($0.eligibleAdvisers, $0.eligibleLeads, $0.school) < ($1.eligibleAdvisers, $1.eligibleLeads, $1.school)
        }
    }
}

/// An allocation solve that may start from plans the caller already has (a base plan with an adviser removed, the
/// plan at a smaller budget), besides the heuristic starting plan: GLPK gets whichever verified start is best.
/// Same solver settings as `AllocationSolver.solve` (best-projection backtracking, node limit, no time limit), so
/// the result is deterministic.
enum SeededSolve {
    enum Outcome {
        case plan(Plan, nodes: Int, stoppedByNodeLimit: Bool)
        /// No plan keeps the hard rules; reasons as `AllocationSolver` gives them.
        case infeasible([String])
        /// The node or time limit (or a stop) came before any plan.
        case noPlan
    }

    /// The allocation solve, started from `seed` where it still fits (the starting heuristic takes the
    /// seed's leads and need-days first, then completes and improves the plan), with no disruption bonus,
    /// under `search`'s limits.
    static func run(_ scenario: Scenario, seed: Plan?, search: AllocationOptions) throws -> Outcome {
        var options = search
        options.basePlan = seed
        options.disruptionWeight = 0
        do {
            let result = try AllocationSolver.solve(scenario, options: options)
            return .plan(result.plan, nodes: result.nodes, stoppedByNodeLimit: result.stoppedByNodeLimit)
        } catch AllocationError.noFeasiblePlan(let reasons) {
            return .infeasible(reasons)
        } catch AllocationError.noPlanWithinLimit {
            return .noPlan
        }
    }
}

/// `body` for each index, on `workers` threads that take the next index as each finishes; the answers in
/// index order. The first error is thrown once every thread has stopped (no new index is started after it).
enum InParallel {
    static func map<T: Sendable>(_ count: Int, workers: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        guard workers > 1 else { return try (0..<count).map(body) }
        let shared = Shared<T>(count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let k: Int? = shared.lock.withLock {
                    guard shared.failure == nil, shared.next < count else { return nil }
                    defer { shared.next += 1 }
                    return shared.next
                }
                guard let k else { return }
                do {
                    let answer = try body(k)
                    shared.lock.withLock { shared.results[k] = answer }
                } catch {
                    shared.lock.withLock { if shared.failure == nil { shared.failure = error } }
                }
            }
        }
        if let failure = shared.failure { throw failure }
        return shared.results.map { $0! }
    }

    /// The workers' common state, behind its lock.
    private final class Shared<T>: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var results: [T?]
        var failure: Error?
        init(_ count: Int) { results = [T?](repeating: nil, count: count) }
    }
}
