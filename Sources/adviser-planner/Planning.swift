import AdviserModel
import AdviserReports
import AdviserSolver
import ArgumentParser
import Foundation

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "What each adviser is worth to the plan, what one more day is worth, and which schools are hardest to serve.",
        discussion: "The base plan is solved first, under the search options (--time-limit, --node-limit, --gap), or read from --base. For each adviser (or each of --advisers) the scenario is re-solved without them (starting from the base plan, each search limited to --resolve-node-limit nodes, and to --resolve-time-limit seconds when given); --replan neighbourhood plans again only around them, keeping the rest of the base plan. Marginal values of a day come from the duals of the LP relaxation, and are stated as such; a model of more than 100,000 columns gets none, since GLPK's simplex does not solve its relaxation in minutes.")

    @Argument(help: "Scenario folder.")
    var scenario: String

    @Option(name: .long, help: ArgumentHelp("A plan of the scenario written by `solve --out`, used as the base instead of solving it again (a national programme's base takes minutes).", valueName: "PLAN.json"))
    var base: String?

    @OptionGroup var search: SearchOptions<EachPlan>

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Branch-and-bound nodes for each re-solve without an adviser.", valueName: "N"))
    var resolveNodeLimit: Int = SensitivityOptions().nodeLimit

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Stop each re-solve without an adviser after this many seconds as well (sooner answers, which then depend on the machine's speed).", valueName: "S"))
    var resolveTimeLimit: Double?

    @Option(name: .long, help: ArgumentHelp("Re-solve without only these advisers, comma-separated (e.g. A03,A07); default: every adviser. A large programme has thousands of advisers, and each re-solve takes seconds at best.", valueName: "IDS"))
    var advisers: String?

    @Option(name: .long, help: ArgumentHelp("How much each re-solve plans again: `whole` (the whole programme) or `neighbourhood` (the adviser's schools and those of the advisers who could cover them; the rest stays as in the base plan). Default: whole, or neighbourhood when the model's largest region has more than 100,000 columns, where a whole re-solve takes minutes.", valueName: "SCOPE"))
    var replan: ReplanScope?

    func validate() throws {
        if base != nil, search.timeLimit != nil || search.gap != 0 {
            throw ValidationError("--time-limit and --gap stop the base plan's solve, and --base gives that plan; --resolve-time-limit stops each re-solve")
        }
        if resolveNodeLimit < 1 { throw ValidationError("--resolve-node-limit must be at least 1") }
        try checkSeconds(resolveTimeLimit, option: "--resolve-time-limit")
    }

    /// The advisers named by `--advisers`, each checked against the scenario before anything is solved.
    func chosenAdvisers(in s: Scenario) throws -> Set<String>? {
        guard let advisers else { return nil }
        let ids = advisers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw CLIError(message: "--advisers: give at least one adviser id, e.g. --advisers A03,A07", status: .badInput) }
        let known = s.advisers.map(\.id)
        for id in ids where !known.contains(id) {
            var message = "--advisers: \(scenario) has no adviser `\(id)`"
            if let hint = closestMatch(to: id, in: known) { message += "; did you mean `\(hint)`?" }
            throw CLIError(message: message, status: .badInput)
        }
        return Set(ids)
    }

    func run() throws {
        let s = try Inputs.scenario(scenario)
        let chosen = try chosenAdvisers(in: s)
        // Only the allocation is asked of the base: its visits would not be looked at.
        let base = try self.base.map { try Inputs.plan($0, madeFrom: s, folder: scenario) }
            ?? Pipeline.run(s, options: search.allocation(for: s, progressLabel: "solving the base"), datingVisits: false).plan
        var options = SensitivityOptions()
        options.advisers = chosen
        options.replan = replan
        options.nodeLimit = resolveNodeLimit
        options.timeLimitSeconds = resolveTimeLimit
        options.progress = Output.stepProgress { (adviser: String) in "re-solving without \(adviser)" }
        // With --base nothing above has installed the handler, and Ctrl-C would end the process with nothing printed.
        InterruptFlag.shared.install()
        options.shouldStop = { InterruptFlag.shared.isRaised }
        let report: SensitivityReport
        do {
            defer { if options.progress != nil { Output.clearProgressLine() } }
            report = try Sensitivity.analyse(s, base: base, options: options)
        } catch {
            throw CLIError(message: "sensitivity analysis failed: \(error)", status: .badInput)
        }
        print(SensitivityView.table(report), terminator: "")
        // Each figure is against the base plan: one not proven optimal makes them estimates.
        print("\nBase plan: \(base.standing)")
        InterruptFlag.noteInterruption(json: false)
    }
}

struct FrontierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontier",
        abstract: "Coverage against budget: solve at each budget and print, and optionally write, the frontier.",
        discussion: "--out F.csv writes the table as CSV and an SVG chart beside it (F.svg). A budget too small for a lead at every school shows as infeasible with no coverage, and the table ends with the least budget the leads need (the cheapest leads every school can have at once). Budgets are solved from the lowest up, each starting from the plan of the budget below; the search limits apply to each budget's solve. Ctrl-C stops the solve under way, which keeps its best plan, and the budgets above it are not solved: the table, CSV and chart then end there and say so.")

    @Argument(help: "Scenario folder.")
    var scenario: String

    @Option(name: .long, help: ArgumentHelp("Budget range in pounds, e.g. 150000...300000.", valueName: "LOW...HIGH"))
    var budget: String

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Step between budgets, in pounds.", valueName: "POUNDS"))
    var step: Double

    @Option(name: .long, help: ArgumentHelp("Write the frontier as CSV here, and as SVG beside it.", valueName: "F.csv"))
    var out: String?

    @OptionGroup var search: SearchOptions<EachBudget>

    func range() throws -> (Double, Double) {
        let parts = budget.components(separatedBy: "...")
        guard parts.count == 2, let low = Double(parts[0]), let high = Double(parts[1]), low.isFinite, high.isFinite else {
            throw ValidationError("--budget must look like 150000...300000 (low...high, pounds, low above 0)")
        }
        // The form is right: say which figure is wrong.
        guard low > 0 else { throw ValidationError("--budget: the low end must be above £0; found \(parts[0])") }
        guard high >= low else { throw ValidationError("--budget: the high end (\(parts[1])) is below the low end (\(parts[0])); write low...high") }
        guard high <= 1e9 else { throw ValidationError("--budget: the high end must be at most £1,000,000,000; found \(parts[1])") }
        return (low, high)
    }

    func validate() throws {
        let (low, high) = try range()
        guard step > 0, step.isFinite else { throw ValidationError("--step must be more than 0") }
        guard (high - low) / step <= 200 else { throw ValidationError("--budget and --step give more than 200 budgets; use a larger step") }
    }

    func run() throws {
        let s = try Inputs.scenario(scenario)
        let (low, high) = try range()
        var svgPath: String?
        if let out {
            try Output.checkWritable(out, protecting: s.inputFiles)
            svgPath = (out as NSString).deletingPathExtension + ".svg"
            try Output.checkWritable(svgPath!, protecting: s.inputFiles + [out])
        }
        let budgets = BudgetFrontier.budgets(from: low, to: high, step: step)
        let points: [FrontierPoint]
        do {
            // Each budget's line says which solve it is; the searches themselves draw no line over it.
            let progress = Output.stepProgress { (budget: Double) in "solving at budget " + Figures.pounds(budget) }
            defer { if progress != nil { Output.clearProgressLine() } }
            points = try BudgetFrontier.trace(s, budgets: budgets, search: search.allocation(for: s, progressLabel: nil), progress: progress)
        } catch {
            throw CLIError(message: "frontier failed: \(error)", status: .badInput)
        }
        print(SensitivityView.frontierTable(points), terminator: "")
        if points.contains(where: { $0.status == .infeasible }) {
            // Where the infeasible rows end: what the leads alone cost at the least.
            let eligibility = EligibilityTable(scenario: s)
            if let leads = eligibility.cheapestLeadsCost(among: eligibility.eligiblePairs()) {
                print("No budget below \(Figures.pounds(leads)) has a plan: the cheapest leads every school can have at once cost that.")
            }
        }
        if InterruptFlag.shared.isRaised {
            let unsolved = budgets.filter { budget in !points.contains { $0.budget == budget } }.map(Figures.pounds)
            var note = "Stopped by Ctrl-C: the last budget solved keeps the best plan found so far"
            if let first = unsolved.first, let last = unsolved.last {
                note += unsolved.count <= 3 ? "; not solved: " + unsolved.joined(separator: ", ")
                                            : "; not solved: \(unsolved.count) budgets, \(first) to \(last)"
            }
            print(note + ".")
        }
        if let out, let svgPath {
            try Output.writeAtomically(Data(SensitivityView.frontierCSV(points).utf8), to: out, protecting: s.inputFiles)
            try Output.writeAtomically(Data(SensitivityView.frontierSVG(points, title: "\(s.name): coverage against budget").utf8),
                                       to: svgPath, protecting: s.inputFiles + [out])
            print("Written: \(out) and \(svgPath)")
        }
    }
}
