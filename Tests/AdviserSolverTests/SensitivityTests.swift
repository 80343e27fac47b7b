import AdviserModel
import Foundation
import Testing
@testable import AdviserSolver

/// Sensitivity and budget frontier on small cases worked out by hand.
@Suite struct SensitivityTests {
    /// S1 needs 3 literacy days and 2 maths days. A1 and A3 both do literacy; only A2 does maths.
    /// Leads are off, so only need-days matter: losing A2 leaves exactly the 2 maths days unmet,
    /// losing A1 or A3 leaves nothing unmet (the other one covers literacy).
    func lossCase() -> Scenario {
        var b = ScenarioBuilder()
        b.rules.requireLead = false
        b.rules.leadDays = 0
        b.school("S1")
        b.adviser("A1", ["literacy": 2])
        b.adviser("A2", ["maths": 2])
        b.adviser("A3", ["literacy": 1])
        b.need("S1", "literacy", days: 3, priority: 2)
        b.need("S1", "maths", days: 2, priority: 2)
        return b.scenario
    }

    /// A base plan that is not optimal can be beaten by a re-solve without an adviser: the loss says so
    /// instead of passing the search's gain off as the adviser's worth. Here the base is the optimum with its
    /// objective written 100 points lower, as a plan stopped short of the optimum would be; A3 works nowhere
    /// in the optimum (A1 does all the literacy, at a higher level), so the plan without A3 is that optimum.
    @Test func aReSolveThatBeatsTheBasePlanIsFlagged() throws {
        let scenario = lossCase()
        let optimum = try AllocationSolver.solve(scenario).plan
        #expect(!optimum.assignments.contains { $0.adviser == "A3" })
        var base = optimum
        base.objective = optimum.objective! - 100
        base.status = .feasible
        base.gap = 0.01
        let report = try Sensitivity.analyse(scenario, base: base, options: SensitivityOptions())
        let a2 = report.losses.first { $0.adviser == "A2" }!, a3 = report.losses.first { $0.adviser == "A3" }!
        #expect(a3.beatsBase && abs(a3.objectiveAfter! - optimum.objective!) < 1e-6)
        #expect(a3.note == "better than the base plan, so not the adviser's worth")
        #expect(!a2.beatsBase && !a2.note.contains("better than the base"))
        // Against the true optimum nobody beats it.
        #expect(try Sensitivity.analyse(scenario, base: optimum, options: SensitivityOptions()).losses.allSatisfy { !$0.beatsBase })
    }

    /// Once stopped (Ctrl-C), the advisers still to come are listed but not re-solved, and the progress
    /// callback has seen each of them start.
    @Test func aStopLeavesTheRemainingAdvisersUnsolved() throws {
        let scenario = lossCase()
        let base = try AllocationSolver.solve(scenario).plan
        let seen = Recorder<String>()
        var options = SensitivityOptions()
        options.progress = { done, total, adviser in
            #expect(total == 3)
            #expect(done == seen.count)
            seen.record(adviser)
        }
        options.shouldStop = { seen.count >= 2 }  // raised once the second adviser's turn has come
        let report = try Sensitivity.analyse(scenario, base: base, options: options)
        #expect(seen.count == 3)
        #expect(report.losses.map(\.adviser) == ["A1", "A2", "A3"])
        #expect(report.losses[0].objectiveAfter != nil && !report.losses[0].note.contains("Ctrl-C"))
        for loss in report.losses.dropFirst() {
            #expect(loss.objectiveAfter == nil && loss.note == "not re-solved: stopped by Ctrl-C", "\(loss.adviser)")
            #expect(loss.unmetDaysAfter == loss.unmetDaysBefore)
        }
    }

    /// A time limit for the re-solves stops each one that is not proven by then, and its note says so with
    /// the gap. knowsley-pathways is never proven: every re-solve ends at the limit (0.3 s is the limit
    /// under test, not a speed claim).
    @Test func reSolvesStopAtTheirTimeLimit() throws {
        let scenario = try BundledScenarioTests.load("knowsley-pathways")
        let base = try AllocationSolver.solve(scenario, options: AllocationOptions(timeLimitSeconds: 0.3)).plan
        var options = SensitivityOptions()  // 300 nodes each, which take these re-solves over a second
        options.timeLimitSeconds = 0.3
        let report = try Sensitivity.analyse(scenario, base: base, options: options)
        #expect(report.losses.count == 12)
        for loss in report.losses {
            #expect(loss.objectiveAfter != nil && loss.unmetDaysAfter > loss.unmetDaysBefore, "\(loss.adviser)")
            #expect(loss.note.contains(/re-solve stopped at the time limit, gap \d+(\.\d)?%$/), "\(loss.adviser): \(loss.note)")
        }
    }

    /// `advisers` picks whom to re-solve without, in the scenario's order whatever order they are named in; a
    /// model over `largestRelaxedColumns` gets its losses and hardest schools but no marginal values, and says why.
    @Test func chosenAdvisersOnlyAndNoRelaxationForAModelTooLarge() throws {
        let scenario = lossCase()
        let base = try AllocationSolver.solve(scenario).plan
        let seen = Recorder<String>()
        var options = SensitivityOptions()
        options.advisers = ["A3", "A2"]
        options.progress = { done, total, adviser in
            #expect(total == 2)
            #expect(adviser == ["A2", "A3"][done])
            seen.record(adviser)
        }
        let chosen = try Sensitivity.analyse(scenario, base: base, options: options)
        #expect(seen.count == 2)
        #expect(chosen.losses.map(\.adviser) == ["A2", "A3"])
        #expect(chosen.losses[0].unmetDaysAfter == 2)
        #expect(chosen.marginalValuesSkipped == nil && chosen.adviserDayValues.count == 3 && chosen.areaDayValues.count == 2)

        let columns = AllocationFormulation(scenario: scenario).model.columns.count
        options.progress = nil
        options.largestRelaxedColumns = columns - 1
        let large = try Sensitivity.analyse(scenario, base: base, options: options)
        #expect(large.adviserDayValues.isEmpty && large.areaDayValues.isEmpty)
        #expect(large.marginalValuesSkipped == "Not computed: the model has \(columns) columns, and GLPK's simplex does not solve the LP"
                + " relaxation of one with more than \(columns - 1) in minutes.")
        #expect(large.losses == chosen.losses && large.hardestSchools == chosen.hardestSchools)
        options.largestRelaxedColumns = columns
        #expect(try Sensitivity.analyse(scenario, base: base, options: options).marginalValuesSkipped == nil)
    }

    @Test func losingTheOnlyMathsAdviserLeavesItsDaysUnmet() throws {
        let scenario = lossCase()
        let base = try AllocationSolver.solve(scenario).plan
        #expect(base.unmetDays == 0)
        let report = try Sensitivity.analyse(scenario, base: base)
        #expect(report.losses.map(\.adviser) == ["A1", "A2", "A3"])
        let byAdviser = Dictionary(uniqueKeysWithValues: report.losses.map { ($0.adviser, $0) })
        #expect(byAdviser["A2"]!.unmetDaysAfter == 2)
        #expect(byAdviser["A2"]!.feasible)
        #expect(byAdviser["A2"]!.note.contains("S1 maths +2"))
        #expect(byAdviser["A1"]!.unmetDaysAfter == 0)
        #expect(byAdviser["A3"]!.unmetDaysAfter == 0)
        // Losing A3, who did nothing, changes nothing; losing A1 costs the better literacy match.
        #expect(byAdviser["A3"]!.objectiveAfter == base.objective)
        #expect(byAdviser["A1"]!.objectiveAfter! < base.objective!)
        for loss in report.losses {
            #expect(loss.unmetDaysBefore == 0 && loss.objectiveBefore == base.objective)
        }
    }

    /// S1 is a secondary and only A1 works in secondaries: without A1 nobody may lead S1. Re-planned around
    /// each adviser, the re-plan's own model says so, in the same words.
    @Test(arguments: [ReplanScope.whole, .neighbourhood])
    func losingTheOnlyPossibleLeadIsInfeasible(scope: ReplanScope) throws {
        var b = ScenarioBuilder()
        b.school("S1", phase: .secondary)
        b.school("S2", phase: .primary)
        b.adviser("A1", ["literacy": 2], phases: [.primary, .secondary])
        b.adviser("A2", ["literacy": 2], phases: [.primary])
        b.need("S1", "literacy", days: 2, priority: 2)
        b.need("S2", "literacy", days: 2, priority: 2)
        let scenario = b.scenario
        let base = try AllocationSolver.solve(scenario).plan
        var options = SensitivityOptions()
        options.replan = scope
        let report = try Sensitivity.analyse(scenario, base: base, options: options)
        #expect(report.replan == scope)
        let a1 = report.losses.first { $0.adviser == "A1" }!
        #expect(!a1.feasible)
        #expect(a1.objectiveAfter == nil)
        #expect(a1.note == "no possible lead for S1 (School S1)")
        let a2 = report.losses.first { $0.adviser == "A2" }!
        #expect(a2.feasible && a2.objectiveAfter != nil)
        // S1 has one eligible adviser (and lead), S2 two: S1 is the hardest school.
        #expect(report.hardestSchools == [
            HardSchool(school: "S1", name: "School S1", eligibleAdvisers: 1, eligibleLeads: 1),
            HardSchool(school: "S2", name: "School S2", eligibleAdvisers: 2, eligibleLeads: 2),
        ])
    }

    /// One adviser (literacy level 2), one school (0% disadvantaged, no travel), one need of 5 days at priority 1.
    /// A day of A1 is worth 10 x 2 x 1 = 20 points plus the 10,000 unmet penalty it saves: 10,020 per capacity day
    /// while capacity binds (3 days), 0 when it does not (10 days). An extra free literacy day saves the penalty
    /// (10,000) while a day is unmet, and nothing once every day is met.
    func dualCase(capacity: Double) -> Scenario {
        var b = ScenarioBuilder()
        b.rules.requireLead = false
        b.rules.leadDays = 0
        b.school("S1", disadvantaged: 0)
        b.adviser("A1", ["literacy": 2], capacity: capacity)
        b.minutes("A1", "S1", 0)
        b.need("S1", "literacy", days: 5, priority: 1)
        return b.scenario
    }

    @Test func capacityDualIsTheValueOfADayWhenCapacityBinds() throws {
        let tight = dualCase(capacity: 3)
        let tightReport = try Sensitivity.analyse(tight, base: try AllocationSolver.solve(tight).plan)
        #expect(tightReport.base.unmetDays == 2)
        #expect(tightReport.adviserDayValues == [MarginalValue(subject: "A1", value: 10_020)])
        #expect(tightReport.areaDayValues == [MarginalValue(subject: "literacy", value: 10_000)])

        let loose = dualCase(capacity: 10)
        let looseReport = try Sensitivity.analyse(loose, base: try AllocationSolver.solve(loose).plan)
        #expect(looseReport.base.unmetDays == 0)
        #expect(looseReport.adviserDayValues == [MarginalValue(subject: "A1", value: 0)])
        #expect(looseReport.areaDayValues == [MarginalValue(subject: "literacy", value: 0)])
    }

    /// Half-day units: the same figures per day, not per half day.
    @Test func marginalValuesArePerDayWithHalfDayUnits() throws {
        var b = ScenarioBuilder()
        b.rules.requireLead = false
        b.rules.leadDays = 0
        b.school("S1", disadvantaged: 0)
        b.adviser("A1", ["literacy": 2], capacity: 3)
        b.minutes("A1", "S1", 0)
        b.need("S1", "literacy", days: 5.5, priority: 1)
        let scenario = b.scenario
        let report = try Sensitivity.analyse(scenario, base: try AllocationSolver.solve(scenario).plan)
        #expect(report.adviserDayValues == [MarginalValue(subject: "A1", value: 10_020)])
        #expect(report.areaDayValues == [MarginalValue(subject: "literacy", value: 10_000)])
    }

    /// The base plan with an adviser removed is a valid start when they only specialised, and is repaired with a
    /// new lead when they led.
    @Test func seededStartWithoutAnAdviserIsFeasible() throws {
        var b = ScenarioBuilder()
        b.school("S1")
        b.adviser("A1", ["literacy": 3])
        b.adviser("A2", ["maths": 2])
        b.need("S1", "literacy", days: 2, priority: 2)
        b.need("S1", "maths", days: 2, priority: 2)
        let scenario = b.scenario
        let base = try AllocationSolver.solve(scenario).plan
        let lead = base.assignments.first { $0.role == .lead }!.adviser
        for removed in ["A1", "A2"] {
            var without = scenario
            without.advisers.removeAll { $0.id == removed }
            let f = AllocationFormulation(scenario: without)
            let values = try #require(StartingPlan.build(f, seed: base))
            #expect(StartingPlan.verify(values, model: f.model))
            // Whoever is left leads S1.
            let remaining = without.advisers[0].id
            let leadColumn = f.pairs.first { without.advisers[$0.adviser].id == remaining }!.lead!
            #expect(values[leadColumn] == 1, "lead \(lead), removed \(removed)")
        }
    }

    /// A1 leads S1 (1 day) and does its 2 literacy days; A2 fills its 3 days with maths. Without A1, A2 must lead,
    /// so the start gives up one maths day to make room: 2 literacy and 1 maths day unmet, as in the re-solve and
    /// in the start of a re-plan around A1.
    @Test func leadRepairMakesRoomByGivingUpNeedDays() throws {
        var b = ScenarioBuilder()
        b.school("S1")
        b.adviser("A1", ["literacy": 3])
        b.adviser("A2", ["maths": 2], capacity: 3)
        b.minutes("A1", "S1", 0)
        b.minutes("A2", "S1", 0)
        b.need("S1", "literacy", days: 2, priority: 2)
        b.need("S1", "maths", days: 3, priority: 2)
        let scenario = b.scenario
        let base = try AllocationSolver.solve(scenario).plan
        #expect(rosterLines(base) == ["A1>S1 lead literacy:2", "A2>S1 specialist maths:3"])
        var without = scenario
        without.advisers.removeAll { $0.id == "A1" }
        let f = AllocationFormulation(scenario: without)
        let values = try #require(StartingPlan.build(f, seed: base))
        #expect(values[f.pairs[0].lead!] == 1)
        #expect(f.unmetColumns.map { values[$0] } == [2, 1])
        let loss = try Sensitivity.analyse(scenario, base: base).losses.first { $0.adviser == "A1" }!
        #expect(loss.feasible && loss.unmetDaysAfter == 3)
        // Re-planned around A1 (GLPK's search left out), the base plan's work comes first (A2's 3 maths days fill
        // A2), then the lead, which fits only once A2 gives up its maths (all of one need at a time) and refills
        // what still fits.
        let around = try Replan.around(f, base: base, nodeLimit: 10, timeLimitSeconds: nil, shouldStop: nil, largestSearched: 0)
        #expect(around.found && around.searchedLocallyOnly && around.schools == 1)
        #expect(around.values[f.pairs[0].lead!] == 1)
        #expect(f.unmetColumns.map { around.values[$0] } == [2, 1])
    }

    /// Re-planned around an adviser, a programme whose every school is in the neighbourhood is solved whole, and
    /// gives the whole re-solve's answers (both proven optimal on this one-school case).
    @Test func aNeighbourhoodThatIsTheWholeProgrammeGivesTheWholeReSolve() throws {
        let scenario = lossCase()
        let base = try AllocationSolver.solve(scenario).plan
        var around = SensitivityOptions()
        around.replan = .neighbourhood
        let whole = try Sensitivity.analyse(scenario, base: base).losses
        let replanned = try Sensitivity.analyse(scenario, base: base, options: around)
        #expect(replanned.replan == .neighbourhood)
        #expect(replanned.losses.map(\.adviser) == ["A1", "A2", "A3"])
        for (w, n) in zip(whole, replanned.losses) {
            #expect(abs(w.objectiveAfter! - n.objectiveAfter!) < 1e-6 && w.unmetDaysAfter == n.unmetDaysAfter, "\(n.adviser)")
        }
        #expect(replanned.losses.map(\.unmetDaysAfter) == [0, 2, 0])
        #expect(replanned.losses[1].note == "more unmet: S1 maths +2; 1 school re-planned")
        // A3 has no work in the optimum: nothing to re-plan, nothing lost.
        #expect(replanned.losses[2].note == "no work in the base plan" && abs(replanned.losses[2].objectiveAfter! - base.objective!) < 1e-6)
    }

    /// Re-planned around each adviser, two at a time: Ctrl-C before any starts leaves every adviser unsolved, each
    /// row in its place and each told to the progress callback once.
    @Test func aStopBeforeTheReplansLeavesEveryAdviserUnsolved() throws {
        let scenario = lossCase()
        let base = try AllocationSolver.solve(scenario).plan
        let seen = Recorder<String>()
        var options = SensitivityOptions()
        options.replan = .neighbourhood
        options.progress = { _, total, adviser in
            #expect(total == 3)
            seen.record(adviser)
        }
        options.shouldStop = { true }
        let report = try Sensitivity.analyse(scenario, base: base, options: options)
        #expect(seen.all.sorted() == ["A1", "A2", "A3"])
        #expect(report.losses.map(\.adviser) == ["A1", "A2", "A3"])
        #expect(report.losses.allSatisfy { $0.note == "not re-solved: stopped by Ctrl-C" && $0.objectiveAfter == nil })
    }

    /// Answers in index order whatever order the workers finish in, and the first error once every worker stopped.
    @Test func inParallelKeepsTheOrderAndPassesOnAnError() throws {
        struct Failed: Error, Equatable { let index: Int }
        let squares = try InParallel.map(20, workers: 2) { k in
            if k % 3 == 0 { Thread.sleep(forTimeInterval: 0.002) }  // finish out of order
            return k * k
        }
        #expect(squares == (0..<20).map { $0 * $0 })
        #expect(throws: Failed(index: 7)) {
            _ = try InParallel.map(20, workers: 2) { k in
                if k == 7 { throw Failed(index: k) }
                return k
            }
        }
    }

    /// `twoClusters()`, A1 removed: re-planned around A1 the plan changes only at S1 (A2 leads it and does its
    /// literacy) and S2 keeps its 2 unmet days; the whole re-solve also gives S2 to A4, which beats the base plan.
    @Test func aNeighbourhoodReplanKeepsTheRestOfTheBasePlan() throws {
        let (b, base) = try twoClusters()
        let scenario = b.scenario
        #expect(rosterLines(base) == ["A1>S1 lead literacy:2", "A3>S2 lead science:2"])
        #expect(base.unmetDays == 2)
        var options = SensitivityOptions()
        options.advisers = ["A1"]
        options.replan = .neighbourhood
        let around = try Sensitivity.analyse(scenario, base: base, options: options).losses[0]
        #expect(around.unmetDaysAfter == 2 && !around.beatsBase)
        #expect(around.note == "1 school re-planned")
        // A2 at level 2 and 10 minutes away instead of A1 at level 3 and none: each of the 2 literacy days of
        // priority 2 earns 10 x 2 x 2 x 1.2 - 0.05 x 2 x 10 = 47 points instead of 72, and the lead day costs 1.
        #expect(abs(around.objectiveAfter! - (base.objective! - 51)) < 1e-6)
        // A neighbourhood too large for GLPK's search keeps the local search's plan, the same here.
        options.largestSearchedNeighbourhood = 1
        let searchedLocally = try Sensitivity.analyse(scenario, base: base, options: options).losses[0]
        #expect(searchedLocally.objectiveAfter == around.objectiveAfter && searchedLocally.unmetDaysAfter == 2)
        #expect(searchedLocally.note.hasPrefix("1 school re-planned by local search (") && searchedLocally.note.hasSuffix(" columns, too many for GLPK's search)"))
        options.replan = .whole
        let whole = try Sensitivity.analyse(scenario, base: base, options: options).losses[0]
        #expect(whole.unmetDaysAfter == 0 && whole.beatsBase)
    }

    /// One adviser at £500 a day, 1 lead day, 4 need-days: the lead costs £500 and each need-day £500.
    /// £400: no lead fits (infeasible); £500: lead only; £1,500: 2 days; £1,700: still 2; £3,000: all 4.
    @Test func frontierCoverageByHand() throws {
        var b = ScenarioBuilder()
        b.school("S1")
        b.adviser("A1", ["literacy": 1], rate: 500)
        b.need("S1", "literacy", days: 4, priority: 1)
        let budgets: [Double] = [1500, 400, 500, 3000, 1700]
        let points = try BudgetFrontier.trace(b.scenario, budgets: budgets, search: AllocationOptions(nodeLimit: 300))
        #expect(points.map(\.budget) == budgets)
        #expect(points.map(\.status) == [.optimal, .infeasible, .optimal, .optimal, .optimal])
        #expect(points.map(\.needDaysMet) == [2, 0, 0, 4, 2])
        #expect(points.map(\.cost) == [1500, 0, 500, 2500, 1500])
        #expect(points.allSatisfy { $0.needDaysTotal == 4 })
        #expect(points[1].gap == nil && points[1].weightedValue == 0)
        let ascending = points.sorted { $0.budget < $1.budget }
        for (a, b) in zip(ascending, ascending.dropFirst()) {
            #expect(a.needDaysMet <= b.needDaysMet)
            #expect(a.weightedValue <= b.weightedValue || a.status == .infeasible)
        }
    }

    /// Once stopped (Ctrl-C), the budget under way keeps its plan and the budgets above it are left out;
    /// budgets are solved from the lowest up whatever order they are given in.
    @Test func aStopLeavesTheHigherBudgetsUnsolved() throws {
        var b = ScenarioBuilder()
        b.school("S1")
        b.adviser("A1", ["literacy": 1], rate: 500)
        b.need("S1", "literacy", days: 4, priority: 1)
        let seen = Recorder<String>()
        var search = AllocationOptions(nodeLimit: 300)
        search.shouldStop = { seen.count >= 3 }  // raised once the third budget's turn has come
        let points = try BudgetFrontier.trace(b.scenario, budgets: [3000, 400, 1500, 500, 1700], search: search, progress: { done, total, budget in
            #expect(total == 5)
            #expect(done == seen.count)
            #expect(budget == [400, 500, 1500, 1700, 3000][done])
            seen.record("\(budget)")
        })
        #expect(seen.count == 3)
        #expect(points.map(\.budget) == [400, 500])
        #expect(points.map(\.status) == [.infeasible, .optimal])
        #expect(points.map(\.cost) == [0, 500])
    }

    @Test func budgetRangeIsInclusive() {
        #expect(BudgetFrontier.budgets(from: 150_000, to: 300_000, step: 25_000) == [150_000, 175_000, 200_000, 225_000, 250_000, 275_000, 300_000])
        #expect(BudgetFrontier.budgets(from: 0.1, to: 0.3, step: 0.1).count == 3)
        #expect(BudgetFrontier.budgets(from: 5, to: 5, step: 1) == [5])
    }

    @Test func frontierThrowsWhenASchoolHasNoPossibleLead() {
        var b = ScenarioBuilder()
        b.school("S1", phase: .secondary)
        b.adviser("A1", ["literacy": 1], phases: [.primary])
        b.need("S1", "literacy", days: 1, priority: 1)
        #expect(throws: AllocationError.self) { try BudgetFrontier.trace(b.scenario, budgets: [1000]) }
    }
}

/// Timings on the bundled scenarios; run with SENSITIVITY_TIMING=1 (or a comma-separated list of scenario names; slow in a debug build, so off by default).
@Suite struct SensitivityTimingTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SENSITIVITY_TIMING"] != nil), arguments: ["six-school-trust", "aspire-hub", "knowsley-pathways"])
    func timing(name: String) throws {
        let wanted = ProcessInfo.processInfo.environment["SENSITIVITY_TIMING"] ?? ""
        guard wanted == "1" || wanted.split(separator: ",").contains(Substring(name)) else { return }
        let scenario = try BundledScenarioTests.load(name)
        let clock = ContinuousClock()
        var t = clock.now
        let base = try AllocationSolver.solve(scenario, options: AllocationOptions(nodeLimit: 4000)).plan
        print("\(name): base solve \(t.duration(to: clock.now)), objective \(base.objective ?? .nan), unmet \(base.unmetDays)")
        t = clock.now
        let report = try Sensitivity.analyse(scenario, base: base)
        print("\(name): sensitivity \(t.duration(to: clock.now))")
        for loss in report.losses {
            print("  \(loss.adviser) \(loss.feasible) unmet \(loss.unmetDaysBefore) -> \(loss.unmetDaysAfter) obj \(loss.objectiveAfter ?? .nan) \(loss.note)")
        }
        print("  advisers: " + report.adviserDayValues.map { "\($0.subject)=\($0.value)" }.joined(separator: " "))
        print("  areas: " + report.areaDayValues.map { "\($0.subject)=\($0.value)" }.joined(separator: " "))
        print("  hardest: " + report.hardestSchools.prefix(5).map { "\($0.school):\($0.eligibleAdvisers)/\($0.eligibleLeads)" }.joined(separator: " "))
        t = clock.now
        let points = try BudgetFrontier.trace(scenario, budgets: BudgetFrontier.budgets(from: 150_000, to: 300_000, step: 25_000))
        print("\(name): frontier \(t.duration(to: clock.now))")
        for p in points { print("  \(p.budget) \(p.status) cost \(p.cost) met \(p.needDaysMet)/\(p.needDaysTotal) obj \(p.weightedValue) gap \(p.gap ?? -1)") }
    }
}
