import AdviserModel
import Foundation
import GLPK
import Testing
@testable import AdviserSolver

/// Issue 5: progress on stderr covers the whole solve, not only GLPK's tree. Nothing here measures speed:
/// what is checked is what each line says and that no line comes after its stage has ended.
@Suite struct ProgressTests {
    /// A stage wrapped by the beat reports from the start, shows the plan told so far, and is silent once
    /// the stage has returned (a late line would land after the command's clearing of the progress line).
    @Test func aBeatReportsDuringItsStageOnly() {
        let lines = Recorder<SolveProgress>()
        let beat = ProgressBeat(since: .now, report: { lines.record($0) })
        #expect(beat.best == nil)
        beat.plan(-1_234)
        let answer = beat.during { 42 }
        #expect(answer == 42)
        let told = lines.count
        #expect(told >= 1)
        #expect(lines.all.allSatisfy { $0.incumbent == -1_234 && $0.bound == nil && $0.elapsedSeconds >= 0 })
        Thread.sleep(forTimeInterval: 1.2)  // longer than a beat: none may come now
        #expect(lines.count == told)
    }

    /// A programme that splits into regions: the regions' searches report no plan until each has its own, so
    /// until then the lines show the starting plan. Once a line has shown a plan, every later one does, and
    /// every line counts from the start of the solve (the last no later than the solve's own time).
    @Test func everyLineAfterTheFirstPlanShowsOne() throws {
        let scenario = try ScenarioGenerator.generate(schools: 120, advisers: 20, seed: 4)
        let lines = Recorder<SolveProgress>()
        var options = AllocationOptions(timeLimitSeconds: 2)
        options.progress = { lines.record($0) }
        let began = ContinuousClock.now
        let result = try AllocationSolver.solve(scenario, options: options)
        let took = seconds(since: began)
        let reports = lines.all
        #expect(result.solverLog.contains("--- block 2"), "the scenario should split into regions: \(result.solverLog.prefix(300))")
        let first = try #require(reports.firstIndex { $0.incumbent != nil }, "no line showed a plan")
        #expect(reports[first...].allSatisfy { $0.incumbent != nil }, "\(reports.map { $0.incumbent.map { "\($0)" } ?? "-" })")
        #expect(reports.allSatisfy { $0.elapsedSeconds >= 0 && $0.elapsedSeconds <= took })
    }
}
