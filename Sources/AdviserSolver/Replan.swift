import AdviserModel
import Foundation
import GLPK

/// How much of the programme a re-solve after a change plans again.
public enum ReplanScope: String, Sendable, CaseIterable {
    /// The whole programme, starting from the base plan.
    case whole
    /// Only around the change (`Replan.around`); everything else stays as in the base plan. Seconds at
    /// national scale, where a whole re-solve takes minutes and finds what more search finds as much as what
    /// the change does. Its plan keeps the rest of the base plan, so it can lose more than the best plan
    /// would where a wider change would do better.
    case neighbourhood
}

/// A changed programme planned again around the change only, the rest kept as in the base plan.
///
/// The change's own schools: those whose base work no longer exists or no longer fits (an adviser gone, a
/// pairing forbidden, capacity cut), whose needs differ from the base plan's, that have no lead, or that
/// the change names. Around them: the advisers who may work at one of those schools (and the advisers the
/// change names), and every school where those advisers work in the base plan, or where a named adviser
/// may work. The base plan keeps everything else; each school left without a lead gets one (from an adviser
/// who gives up their least urgent need-days when nobody has room), the change's needs get days where others
/// have room, a local search moves work within the neighbourhood, and last, when the neighbourhood has few
/// enough columns, GLPK searches it exactly with everything else held, under the node limit.
enum Replan {
    struct Outcome {
        /// Column values of the plan, for every column of the model.
        var values: [Double]
        /// False: some school has no lead, and GLPK found no plan either (`values` then break its lead row).
        var found: Bool
        /// GLPK proved the plan the best of the neighbourhood.
        var proven: Bool
        /// The neighbourhood's bound from GLPK's search, when it searched and stopped short of a proof.
        var bound: Double?
        var stoppedByNodeLimit = false
        var stoppedByTimeLimit = false
        var stoppedByStop = false
        /// Schools planned again, and the columns freed there.
        var schools: Int
        var columns: Int
        /// Columns over `largestSearched`: the local search's plan was kept, without GLPK's search.
        var searchedLocallyOnly: Bool
        /// The change touched nothing: the base plan is the plan.
        var nothingToReplan: Bool
        /// GLPK showed that no plan keeps the rest of the base plan.
        var infeasible = false
    }

    /// - Parameters:
    ///   - f: the changed programme's model (with the base plan's disruption bonus, for a what-if).
    ///   - advisers, schools: ids the change names besides what the base plan shows (an adviser added or
    ///     whose capacity changed, a school added); ids the model lacks are ignored.
    ///   - largestSearched: neighbourhoods of more columns keep the local search's plan.
    static func around(_ f: AllocationFormulation, base: Plan, advisers: Set<String> = [], schools: Set<String> = [],
                       nodeLimit: Int?, timeLimitSeconds: Double?, shouldStop: (@Sendable () -> Bool)?,
                       largestSearched: Int) throws -> Outcome {
        let began = ContinuousClock.now
        let s = f.scenario
        let schoolIndex = Dictionary(s.schools.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let adviserIndex = Dictionary(s.advisers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var search = StartingPlanSearch(f)
        // Under a time limit the local search has half of it, GLPK's search the rest.
        search.deadline = timeLimitSeconds.map { began + .milliseconds(Int64($0 * 500)) }
        search.shouldStop = shouldStop
        // The base plan first: what no longer exists or fits marks the change's schools (and its advisers,
        // who now have room).
        let misfits = search.take(base, f, leadingEverySchoolFirst: false) ?? []
        var changed = [Bool](repeating: false, count: s.schools.count)
        var named = [Bool](repeating: false, count: s.advisers.count)
        for a in misfits {
            if let k = schoolIndex[a.school] { changed[k] = true }
            if let k = adviserIndex[a.adviser] { named[k] = true }
        }
        for id in schools { if let k = schoolIndex[id] { changed[k] = true } }
        for id in advisers { if let k = adviserIndex[id] { named[k] = true } }
        // Needs that differ from what the base plan placed and left unmet, by school and area.
        var before: [String: [String: Double]] = [:]
        for a in base.assignments { for (area, days) in a.days { before[a.school, default: [:]][area, default: 0] += days } }
        for u in base.unmet { before[u.school, default: [:]][u.area, default: 0] += u.days }
        for need in s.needs {
            let placed = before[need.school]?.removeValue(forKey: need.area) ?? 0
            if abs(placed - need.days) > 1e-9, let k = schoolIndex[need.school] { changed[k] = true }
        }
        for (school, areas) in before where !areas.isEmpty { if let k = schoolIndex[school] { changed[k] = true } }
        // Schools with no lead (a new school, or its lead gone).
        for school in search.schoolsWithoutLead() { changed[school] = true }

        var freed = changed
        var nearby = named
        for pair in f.pairs where changed[pair.school] { nearby[pair.adviser] = true }
        for pair in f.pairs where named[pair.adviser] { freed[pair.school] = true }
        let nearbyIDs = Set(s.advisers.indices.filter { nearby[$0] }.map { s.advisers[$0].id })
        for a in base.assignments where nearbyIDs.contains(a.adviser) { if let k = schoolIndex[a.school] { freed[k] = true } }
        let freedCount = freed.filter { $0 }.count
        var free: [Int] = []
        for pair in f.pairs where freed[pair.school] { free.append(pair.assigned); if let l = pair.lead { free.append(l) } }
        for c in f.candidates where freed[f.pairs[c.pair].school] { free.append(c.column) }

        // Each school without a lead gets one; the change's needs, and those given up for a lead, get days.
        var refilling = Set(s.needs.indices.filter { schoolIndex[s.needs[$0].school].map { changed[$0] } ?? false })
        var led = search.assignLeads()
        while !led, let school = search.schoolsWithoutLead().first, let emptied = search.makeRoomToLead(school) {
            refilling.formUnion(emptied)
            led = search.assignLeads()
        }
        search.refill(forbiddenCandidate: -1, forbiddenPair: -1, needs: refilling.sorted { search.needRank[$0] < search.needRank[$1] })
        search.improve(passes: StartingPlan.improvementPasses, within: (freed, nearby))
        let start = search.values
        let complete = led && StartingPlan.verify(start, model: f.model)
        var outcome = Outcome(values: start, found: complete, proven: false, bound: nil, schools: freedCount, columns: free.count,
                              searchedLocallyOnly: false, nothingToReplan: free.isEmpty && complete)
        if outcome.nothingToReplan { return outcome }
        guard free.count <= largestSearched else {
            outcome.searchedLocallyOnly = true
            // The local search's plan is the answer: say whether Ctrl-C or the time limit cut it short.
            outcome.stoppedByStop = shouldStop?() == true
            outcome.stoppedByTimeLimit = !outcome.stoppedByStop && search.deadline.map { ContinuousClock.now >= $0 } == true
            return outcome
        }
        var options = SolveOptions()
        // The two settings of a model that does not split, side by side on two cores, in turn on one; each
        // stays apart under the node limit, so the answer is the same on every run. The blocks' settings alone
        // ended 1.5% from their bound on one of four advisers' neighbourhoods of the generated 430 x 65, all
        // cuts alone on another; together they found the better plan of the two on all four.
        options.searchSettings = AllocationSolver.searchSettings.blocks
        options.alongside = AllocationSolver.searchSettings.alongside
        if ProcessInfo.processInfo.activeProcessorCount < 2 { options.alongsideInTurnAfterNodes = (nodeLimit ?? 1_000) / 2 }
        options.nodeLimit = nodeLimit
        options.timeLimitSeconds = timeLimitSeconds.map { max(0.001, $0 - seconds(since: began)) }
        options.shouldStop = shouldStop
        // Without a complete start (some school still has no lead), GLPK looks for a plan itself.
        options.startingSolution = complete ? start : nil
        let solution: Solution
        do {
            solution = try GLPKSolver.solve(f.model, freeing: free, heldAt: start, options: options)
        } catch let error as GLPKError {
            throw AllocationError.solver(error.description)
        }
        guard solution.status == .optimal || solution.status == .feasible else {
            outcome.found = false
            outcome.infeasible = solution.status == .infeasible
            return outcome
        }
        outcome.values = solution.columnValues
        outcome.found = true
        outcome.proven = solution.status == .optimal
        if !outcome.proven {
            outcome.bound = solution.bestBound
            outcome.stoppedByNodeLimit = solution.stoppedByNodeLimit
            outcome.stoppedByTimeLimit = !solution.stoppedByNodeLimit && solution.stoppedByTimeLimit
            outcome.stoppedByStop = !solution.stoppedByNodeLimit && !solution.stoppedByTimeLimit
        }
        return outcome
    }
}
