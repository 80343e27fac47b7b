import AdviserModel
import Foundation
import GLPK
import Testing
@testable import AdviserSolver

/// Issue 5: Ctrl-C stops cleanly and keeps the best plan, in every stage that can stop: the starting
/// heuristic's local search, and regions whose search had not begun (their LP relaxation cannot be
/// interrupted, and on a national programme each took its whole share of the time limit).

/// Ctrl-C during the starting heuristic: its local search stops at the next look at the clock (every 64
/// attempts) and keeps the greedy plan so far, which is still a plan that keeps every row.
@Test func aStopEndsTheHeuristicsLocalSearchWithAPlan() throws {
    let formulation = AllocationFormulation(scenario: try BundledScenarioTests.load("knowsley-pathways"))
    let greedy = Recorder<Double>(), improved = Recorder<Double>()
    let full = try #require(StartingPlan.build(formulation, firstPlan: { greedy.record($0) }))
    let stop: @Sendable () -> Bool = { true }
    let built = StartingPlan.build(formulation, shouldStop: stop, firstPlan: { greedy.record($0) }, betterPlan: { improved.record($0) })
    let stopped = try #require(built)
    #expect(StartingPlan.verify(stopped, model: formulation.model))
    let model = formulation.model
    // The same greedy plan both times; the stopped search improved it by at most 63 attempts' worth.
    #expect(greedy.all.count == 2 && greedy.all[0] == greedy.all[1])
    #expect(model.objectiveValue(stopped) >= greedy.all[1] - 1e-6)
    #expect(model.objectiveValue(stopped) < model.objectiveValue(full) - 1_000, "full \(model.objectiveValue(full)), stopped \(model.objectiveValue(stopped))")
    #expect(improved.count < 64)
}

/// A search stopped before it begins answers with its starting plan at once: its relaxation gets at most
/// `relaxationSecondsWhenStopped` (knowsley-pathways' takes over a thousand simplex iterations, far more
/// than a millisecond), and a relaxation that does finish in time gives the plan a bound. Neither is a
/// time limit's doing.
@Test func aSearchStoppedBeforeItBeginsAnswersWithItsStart() throws {
    let formulation = AllocationFormulation(scenario: try BundledScenarioTests.load("knowsley-pathways"))
    let start = try #require(StartingPlan.build(formulation))
    var options = SolveOptions()
    options.startingSolution = start
    options.shouldStop = { true }
    options.relaxationSecondsWhenStopped = 0.001
    let cut = try Problem(formulation.model).solve(options)
    #expect(cut.status == .feasible && !cut.stoppedByTimeLimit && cut.nodes == 0)
    #expect(cut.columnValues == start)
    #expect(cut.log.contains("Stopped before the search began; the starting solution is the answer"))
    options.relaxationSecondsWhenStopped = 600
    let bounded = try Problem(formulation.model).solve(options)
    #expect(bounded.status == .feasible && !bounded.stoppedByTimeLimit && bounded.columnValues == start)
    let bound = try #require(bounded.bestBound)
    #expect(bound >= formulation.model.objectiveValue(start) && !bounded.log.contains("Stopped before the search began"))
}

/// A large model stopped before it begins does not start its relaxation at all, however long a stopped
/// relaxation may take: the dual simplex such a model gets does not finish in that time (a national region
/// of 39,706 columns made 556 of its iterations in a second, and eight such regions held a Ctrl-C for 4 s).
/// The starting plan is the answer at once, without a bound of its own (the allocation's priced bound
/// gives one for the whole).
@Test func aLargeSearchStoppedBeforeItBeginsSkipsItsRelaxation() throws {
    let formulation = AllocationFormulation(scenario: try ScenarioGenerator.generate(schools: 430, advisers: 65, seed: 1))
    #expect(formulation.model.columns.count > 5_000)
    // The greedy plan alone (no time for its local search) is start enough, and quick in a debug build.
    let start = try #require(StartingPlan.build(formulation, deadline: .now))
    var options = SolveOptions()
    options.startingSolution = start
    options.shouldStop = { true }
    options.relaxationSecondsWhenStopped = 600
    let stopped = try Problem(formulation.model).solve(options)
    #expect(stopped.status == .feasible && !stopped.stoppedByTimeLimit && stopped.nodes == 0)
    #expect(stopped.columnValues == start && stopped.bestBound == nil)
    #expect(stopped.log.contains("without a bound of its own (a relaxation of 6926 columns does not finish in 600 s)"))
    #expect(!stopped.log.contains("obj ="), "no simplex iteration was logged")
}

/// A Ctrl-C under a time limit reports its plan `feasible`, as any Ctrl-C does (README), even when a region
/// had used up its share of the time before it: a national solve stopped at 330 of its 590 s said `time_limit`.
@Test func aPlanStoppedByCtrlCIsFeasibleEvenAfterARegionRanOutOfTime() {
    #expect(Plan.Status.unproven(stoppedByTimeLimit: true, stoppedByRequest: true) == .feasible)
    #expect(Plan.Status.unproven(stoppedByTimeLimit: true, stoppedByRequest: false) == .timeLimit)
    #expect(Plan.Status.unproven(stoppedByTimeLimit: false, stoppedByRequest: false) == .feasible)
    #expect(Plan.Status.unproven(stoppedByTimeLimit: false, stoppedByRequest: true) == .feasible)
}

/// A stop reaches the heuristic's local search at its next attempt, not at its next look at the clock (every
/// 64 attempts, each of which can be long on a large model). Stopped at its first better plan, the search
/// makes no other (six before, on this scenario).
@Test func aStopEndsTheLocalSearchAtItsNextAttempt() throws {
    let formulation = AllocationFormulation(scenario: try BundledScenarioTests.load("knowsley-pathways"))
    let improved = Recorder<Double>()
    let stop: @Sendable () -> Bool = { improved.count > 0 }
    let built = StartingPlan.build(formulation, shouldStop: stop, betterPlan: { improved.record($0) })
    let stopped = try #require(built)
    #expect(StartingPlan.verify(stopped, model: formulation.model))
    #expect(improved.count == 1)
}
