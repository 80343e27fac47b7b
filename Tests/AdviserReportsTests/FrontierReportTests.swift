import AdviserModel
import AdviserReports
import AdviserSolver
import Foundation
import Testing

@Suite struct FrontierReportTests {
    let points = [
        FrontierPoint(budget: 150_000, status: .optimal, cost: 149_500, needDaysMet: 300, needDaysTotal: 400,
                      weightedValue: -12_345.5, gap: 0),
        FrontierPoint(budget: 175_000, status: .feasible, cost: 174_250.5, needDaysMet: 333, needDaysTotal: 400,
                      weightedValue: -1_000.25, gap: 0.0123),
    ]

    @Test func csvIsExact() {
        #expect(SensitivityView.frontierCSV(points) ==
            "budget,status,cost,need_days_met,need_days_total,coverage_pct,objective,gap\r\n"
            + "150000,optimal,149500,300,400,75,-12345.5,0\r\n"
            + "175000,feasible,174250.5,333,400,83.25,-1000.25,0.0123\r\n")
        let infeasible = FrontierPoint(budget: 1000, status: .infeasible, cost: 0, needDaysMet: 0, needDaysTotal: 4, weightedValue: 0, gap: nil)
        #expect(SensitivityView.frontierCSV([infeasible]).hasSuffix("\r\n1000,infeasible,0,0,4,0,0,\r\n"))
    }

    @Test func svgHasEscapedTitleOneCirclePerPointAndIsStable() {
        let title = "Budget & coverage <Knowsley> \"2026\""
        let svg = SensitivityView.frontierSVG(points, title: title)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("Budget &amp; coverage &lt;Knowsley&gt; &quot;2026&quot;"))
        #expect(!svg.contains(title))
        #expect(svg.components(separatedBy: "<circle ").count - 1 == points.count)
        #expect(svg.contains("£150,000") && svg.contains("100%") && svg.contains("0%"))
        #expect(svg.contains("budget (£)") && svg.contains("need-days met (% coverage)"))
        #expect(SensitivityView.frontierSVG(points, title: title) == svg)
        // Three points, one without a plan (hollow marker), still one circle each.
        let more = points + [FrontierPoint(budget: 100_000, status: .infeasible, cost: 0, needDaysMet: 0, needDaysTotal: 400, weightedValue: 0, gap: nil)]
        let svg3 = SensitivityView.frontierSVG(more, title: "t")
        #expect(svg3.components(separatedBy: "<circle ").count - 1 == 3)
        #expect(svg3.contains("fill=\"#ffffff\" stroke=\"#1f5fa8\""))
        // A single point does not divide by zero.
        #expect(!SensitivityView.frontierSVG([points[0]], title: "one").contains("nan"))
    }

    @Test func frontierTableShowsCoverage() {
        let text = SensitivityView.frontierTable(points)
        #expect(text.contains("£150,000") && text.contains("75.0%") && text.contains("333 of 400") && text.contains("1.2%"))
    }

    @Test func sensitivityTableNamesTheRelaxation() {
        var plan = Plan(scenario: .init(name: "t", fingerprint: "x"), status: .optimal, objective: 100, bound: 100, gap: 0,
                        model: .init(variables: 1, integerVariables: 1, constraints: 1, nonzeros: 1), assignments: [], unmet: [])
        plan.advisers = [.init(id: "A1", name: "Ann Able", role: "", capacityDays: 10, maxSchools: 3, dayRate: 500)]
        let report = SensitivityReport(
            base: plan,
            losses: [AdviserLoss(adviser: "A1", unmetDaysBefore: 0, unmetDaysAfter: 2, objectiveBefore: 100, objectiveAfter: -19_900,
                                 feasible: true, note: "more unmet: S1 maths +2")],
            adviserDayValues: [MarginalValue(subject: "A1", value: 10_020)],
            areaDayValues: [MarginalValue(subject: "maths", value: 20_000)],
            hardestSchools: [HardSchool(school: "S1", name: "School S1", eligibleAdvisers: 1, eligibleLeads: 1)])
        let text = SensitivityView.table(report)
        #expect(text.contains("LP relaxation"))
        #expect(text.contains("0 → 2") && text.contains("+2") && text.contains("-20,000"))
        #expect(text.contains("10,020") && text.contains("20,000") && text.contains("School S1"))

        // Without marginal values (a model too large for the relaxation): the reason, wrapped, in their place.
        var skipped = report
        skipped.adviserDayValues = []
        skipped.areaDayValues = []
        skipped.marginalValuesSkipped = "Not computed: the model has 132185 columns, and GLPK's simplex does not solve the LP relaxation"
            + " of one with more than 100000 in minutes."
        #expect(SensitivityView.table(skipped).contains("""
            (integer decisions relaxed; small changes only)
              Not computed: the model has 132185 columns, and GLPK's simplex does not
              solve the LP relaxation of one with more than 100000 in minutes.

            Schools with fewest eligible advisers
            """))
        #expect(!text.contains("found a better plan"))

        // A re-solve that beats a base plan not proven optimal: the table says what that figure is.
        var beaten = report
        beaten.base.status = .timeLimit
        beaten.base.gap = 0.2
        beaten.losses[0].objectiveAfter = 150
        #expect(SensitivityView.table(beaten).contains("""
            \n
              1 of these re-solves found a better plan without the adviser than the base
              plan with them: the base is not optimal (time_limit, gap 20%), so that
              figure mixes what a longer search finds with what the adviser is worth.
              Solve the base for longer (a larger --time-limit or --node-limit) and
              measure again.

            Value of one more day
            """))
        beaten.losses.append(beaten.losses[0])
        #expect(SensitivityView.table(beaten).contains("  2 of these re-solves found a better plan without the adviser than the base\n"))
        #expect(SensitivityView.table(beaten).contains("so those\n  figures mix what"))
    }
}
