import AdviserModel
import GLPK

/// The allocation at one budget.
public struct FrontierPoint: Sendable, Equatable {
    public var budget: Double
    /// `.infeasible` when no plan keeps the hard rules at this budget (e.g. too little for every school's lead);
    /// `.timeLimit` when the node or time limit came before any plan. Both have zero cost and coverage.
    public var status: Plan.Status
    /// Pounds spent by the plan (visit days at day rates).
    public var cost: Double
    public var needDaysMet: Double
    public var needDaysTotal: Double
    /// The allocation objective (maximised); 0 when there is no plan.
    public var weightedValue: Double
    /// Relative gap when a limit (or a stop) ended the search; 0 when proven optimal; nil when there is no plan.
    public var gap: Double?

    public init(budget: Double, status: Plan.Status, cost: Double, needDaysMet: Double, needDaysTotal: Double,
                weightedValue: Double, gap: Double?) {
        self.budget = budget; self.status = status; self.cost = cost; self.needDaysMet = needDaysMet
        self.needDaysTotal = needDaysTotal; self.weightedValue = weightedValue; self.gap = gap
    }

    /// Need-days met as a fraction of all need-days (0 when there are none).
    public var coverage: Double { needDaysTotal > 0 ? needDaysMet / needDaysTotal : 0 }
}

public enum BudgetFrontier {
    /// Branch-and-bound nodes for each budget's solve unless told otherwise: a frontier solves many times, so
    /// each solve gets less than `solve`'s 4,000, and each starts from the plan of the budget below.
    public static let defaultNodeLimit = 300

    /// Solves the allocation at each budget (inclusive range, step), each under `search`'s limits (node limit,
    /// time limit, gap and threads apply to each budget's solve); a budget too small for every school's lead
    /// gives status .infeasible and zero coverage rather than an error.
    ///
    /// Budgets are solved in increasing order and each solve may start from the plan of the next smaller budget
    /// (still within the larger budget), so coverage does not fall as the budget grows merely because a node-limited
    /// search ended early; afterwards a plan found at a larger budget replaces a smaller budget's when it costs no more
    /// than that budget and is better. Points come back in the order of `budgets`. Throws `AllocationError.noFeasiblePlan` when a
    /// school has no eligible lead at all, since no budget can help then.
    /// `progress` is told before each budget's solve: how many are done, of how many, and the budget.
    /// Once `search.shouldStop` says so (Ctrl-C), the solve under way keeps its best plan and the budgets above
    /// it are not solved: they are left out, so the result then has fewer points than `budgets`.
    public static func trace(_ scenario: Scenario, budgets: [Double],
                             search: AllocationOptions = AllocationOptions(nodeLimit: defaultNodeLimit),
                             progress: ((_ done: Int, _ total: Int, _ budget: Double) -> Void)? = nil) throws -> [FrontierPoint] {
        let total = scenario.needs.reduce(0) { $0 + $1.days }
        // Who may lead a school does not depend on the budget: asked once, of the eligibility alone.
        let eligibility = EligibilityTable(scenario: scenario)
        let schoolsWithoutLead = eligibility.schoolsNobodyMayLead()
        if !schoolsWithoutLead.isEmpty { throw AllocationError.noFeasiblePlan(eligibility.noLeadReasons(for: schoolsWithoutLead)) }
        var points = [FrontierPoint?](repeating: nil, count: budgets.count)
        // The budget links the regions and is the only change: a region searched from the same start is answered once.
        var search = search
        search.blockAnswers = BlockAnswers()
        var previous: Plan?
        var plans = [Plan?](repeating: nil, count: budgets.count)
        for (done, i) in budgets.indices.sorted(by: { (budgets[$0], $0) < (budgets[$1], $1) }).enumerated() {
            progress?(done, budgets.count, budgets[i])
            if search.shouldStop?() == true { break }
            var s = scenario
            s.programme.budget = budgets[i]
            switch try SeededSolve.run(s, seed: previous, search: search) {
            case .infeasible:
                points[i] = FrontierPoint(budget: budgets[i], status: .infeasible, cost: 0, needDaysMet: 0, needDaysTotal: total,
                                          weightedValue: 0, gap: nil)
            case .noPlan:
                points[i] = FrontierPoint(budget: budgets[i], status: .timeLimit, cost: 0, needDaysMet: 0, needDaysTotal: total,
                                          weightedValue: 0, gap: nil)
            case .plan(let plan, _, _):
                previous = plan
                plans[i] = plan
                points[i] = FrontierPoint(budget: budgets[i], status: plan.status, cost: plan.totalCost,
                                          needDaysMet: max(0, total - plan.unmetDays), needDaysTotal: total,
                                          weightedValue: plan.objective ?? 0, gap: plan.gap)
            }
        }
        // A plan found at a larger budget that costs no more than a smaller budget is a plan for that budget too (the
        // budget row is the only difference): where it is better than what that budget's own search found, use it.
        for i in budgets.indices {
            guard let own = plans[i], own.status != .optimal, let ownObjective = own.objective else { continue }
            let better = plans.compactMap { $0 }.filter { $0.totalCost <= budgets[i] + 1e-6 && ($0.objective ?? -.infinity) > ownObjective + 1e-9 }
                .max { ($0.objective ?? -.infinity) < ($1.objective ?? -.infinity) }
            guard let better, let objective = better.objective else { continue }
            let gap = own.bound.map { abs(objective - $0) / (1e-9 + abs(objective)) }
            points[i] = FrontierPoint(budget: budgets[i], status: .feasible, cost: better.totalCost,
                                      needDaysMet: max(0, total - better.unmetDays), needDaysTotal: total,
                                      weightedValue: objective, gap: gap)
        }
        return points.compactMap { $0 }
    }

    /// `from`, `from + step`, … up to and including `to` (within a millionth of a step), for `--budget A...B --step S`.
    public static func budgets(from: Double, to: Double, step: Double) -> [Double] {
        guard step > 0, from <= to else { return from == to ? [from] : [] }
        var out: [Double] = []
        var k = 0.0
        while from + k * step <= to + step * 1e-6 {
            out.append(from + k * step)
            k += 1
        }
        return out
    }
}
