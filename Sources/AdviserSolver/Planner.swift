import AdviserModel
import Foundation

/// The whole job: allocate, then date the visits. `solve`, `whatif` and `compare` all go through here.
public enum Planner {
    public struct Result: Sendable {
        public var allocation: AllocationResult
        /// The allocation's plan with its visits dated.
        public var plan: Plan
        public var schedulingSeconds: Double
    }

    /// - Parameter datingVisits: false stops after the allocation: the plan has no visits.
    public static func plan(_ scenario: Scenario, options: AllocationOptions = AllocationOptions(), datingVisits: Bool = true) throws -> Result {
        let allocation = try AllocationSolver.solve(scenario, options: options)
        let start = ContinuousClock.now
        let plan = datingVisits ? try VisitScheduler.schedule(allocation.plan, scenario: scenario, keeping: options.basePlan) : allocation.plan
        return Result(allocation: allocation, plan: plan, schedulingSeconds: seconds(since: start))
    }
}
