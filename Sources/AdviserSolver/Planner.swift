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

    public static func plan(_ scenario: Scenario, options: AllocationOptions = AllocationOptions()) throws -> Result {
        let allocation = try AllocationSolver.solve(scenario, options: options)
        let clock = ContinuousClock()
        let start = clock.now
        let plan = try VisitScheduler.schedule(allocation.plan, scenario: scenario, keeping: options.basePlan)
        let elapsed = start.duration(to: clock.now).components
        return Result(allocation: allocation, plan: plan,
                      schedulingSeconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
    }
}
