import AdviserModel
import AdviserReports
import AdviserSolver
import ArgumentParser
import Foundation
import GLPK

@main
struct AdviserPlanner: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adviser-planner",
        abstract: "Decide who advises which school, within capacity, travel, independence and budget.",
        discussion: """
        A scenario is a folder holding scenario.toml and CSV tables (schools, advisers, needs, and optionally the current roster and measured travel times); see README.md for the columns.

        Exit codes: 0 success; 1 no feasible plan (reasons printed) or, for `check`, the plan breaks a hard rule; 2 bad input (file:line:column messages); 3 interrupted, or a time or node limit hit before any plan was found.
        """,
        subcommands: [Solve.self, Roster.self, Schedule.self, Export.self, Report.self, WhatIf.self, Compare.self, SensitivityCommand.self,
                      FrontierCommand.self, Check.self, Validate.self,
                      Generate.self, Import.self, ORLibraryGAP.self],
        defaultSubcommand: nil)

    /// Runs the command and maps every failure to the contract's exit codes; nothing escapes as a crash.
    static func main() {
        TextTable.fitWidth = Output.standardOutputColumns
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CLIError {
            Output.standardError("adviser-planner: " + error.message)
            Foundation.exit(error.status.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            Output.standardError(fullMessage(for: error))
            // Usage mistakes are bad input too: exit 2 as the contract says, not 64.
            Foundation.exit(ExitStatus.badInput.rawValue)
        }
    }
}

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Solve a scenario's allocation and print the roster.",
        discussion: """
        Prints the roster grouped by adviser and a summary (status, objective, optimality gap, unmet need, model size, solve time). With --json the plan is printed as JSON instead; --out writes it to a file for `roster` and `check`. With --summary, or on a terminal when --out keeps a plan of more than \(Figures.grouped(Double(Solve.terminalPairings))) pairings (a national roster runs to 50,000 lines), only the summary is printed. Progress is shown on stderr when it is a terminal; Ctrl-C stops the search and keeps the best plan found so far.
        """)

    @Argument(help: "Scenario folder (default: the bundled scenarios/knowsley-pathways).")
    var scenario: String?

    @Flag(help: "Print the plan as JSON on stdout instead of the roster.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Write the plan as JSON to this file.", valueName: "PLAN.json"))
    var out: String?

    @Flag(help: "Print the summary only, not the roster, and of the unmet needs only the \(Solve.unmetShownInSummary) largest.")
    var summary = false

    /// Above this many pairings a plan kept with --out is only summarised on a terminal: its roster would
    /// scroll the summary away (22,000 x 3,000: 49,740 roster lines and 3,453 unmet needs).
    static let terminalPairings = 1_000
    static let unmetShownInSummary = 20

    /// Over-subscribed scenarios can take GLPK far longer to prove optimal than to find a good plan, so a
    /// solve always ends. Counting nodes rather than seconds keeps the plan the same on every machine.
    static let defaultNodeLimit = 4000

    @OptionGroup var search: SearchOptions<EachPlan>

    @Option(name: .customLong("write-lp"), help: ArgumentHelp("Write the allocation model in CPLEX LP format.", valueName: "F"))
    var writeLP: String?

    @Option(name: .customLong("write-mps"), help: ArgumentHelp("Write the allocation model in MPS format.", valueName: "F"))
    var writeMPS: String?

    @Option(name: .customLong("solver-log"), help: ArgumentHelp("Write GLPK's own log of the search (block by block) to this file, to see where a slow solve spends its time; written also when the search ends without a plan.", valueName: "F"))
    var solverLog: String?

    @Flag(help: "Decide who advises which school and stop there: no visit is dated (for a first look at a large programme).")
    var allocationOnly = false

    @Flag(help: "Print the time of each stage (load, formulate, heuristic, search, schedule, write) on stderr, for benchmarks.")
    var stageTimes = false

    func run() throws {
        let directory = try scenario ?? Inputs.defaultScenario()
        let loadStart = ContinuousClock.now
        let scenario = try Inputs.scenario(directory)
        let loadSeconds = seconds(since: loadStart)
        for path in [out, writeLP, writeMPS, solverLog].compactMap({ $0 }) {
            // Check before solving so a long solve is not wasted on an unwritable path.
            try Output.checkWritable(path, protecting: scenario.inputFiles)
        }
        var options = search.allocation(for: scenario, progressLabel: "solving")
        options.writeLP = writeLP
        options.writeMPS = writeMPS
        if let solverLog {
            // A search that found no plan still leaves its log, the place to see why.
            let inputs = scenario.inputFiles
            options.logWithoutPlan = { log in try? Output.writeAtomically(Data(log.utf8), to: solverLog, protecting: inputs) }
        }
        let result = try Pipeline.run(scenario, options: options, datingVisits: !allocationOnly)
        let plan = result.plan
        let writeStart = ContinuousClock.now
        let data = try plan.jsonData()
        if let out { try Output.writeAtomically(data, to: out, protecting: scenario.inputFiles) }
        if let solverLog { try Output.writeAtomically(Data(result.allocation.solverLog.utf8), to: solverLog, protecting: scenario.inputFiles) }
        if stageTimes {
            let a = result.allocation
            Output.standardError(String(format: "stages: load %.3f s, formulate %.3f s, heuristic %.3f s, search %.3f s, schedule %.3f s, write %.3f s; model %d variables, %d constraints, %d nonzeros; %d nodes",
                                        loadSeconds, a.formulationSeconds, a.heuristicSeconds, a.searchSeconds, result.schedulingSeconds,
                                        seconds(since: writeStart),
                                        plan.model.variables, plan.model.constraints, plan.model.nonzeros, a.nodes))
        }
        if json {
            FileHandle.standardOutput.write(data)
        } else {
            let brief = summary || (out != nil && plan.assignments.count > Solve.terminalPairings && Output.standardOutputIsTerminal)
            if !brief { print(RosterReport.byAdviser(plan), terminator: "") }
            print(RosterReport.summary(plan, seconds: result.allocation.seconds, unmetShown: brief ? Solve.unmetShownInSummary : nil), terminator: "")
            if !allocationOnly {
                print(ScheduleReport.summary(plan), terminator: "")
                print(String(format: "Visits scheduled in %.2f s.", result.schedulingSeconds))
            }
            if let note = RosterReport.nodeLimitNote(plan, nodes: result.allocation.nodes, stoppedByNodeLimit: result.allocation.stoppedByNodeLimit) {
                print(note, terminator: "")
            }
            InterruptFlag.noteInterruption(json: false)
            if let out {
                print("Plan written to \(out)" + (brief ? "; `adviser-planner roster \(out)` prints its \(Figures.grouped(Double(plan.assignments.count))) pairings and every unmet need" : ""))
            }
        }
        if json { InterruptFlag.noteInterruption(json: true) }
    }

    func validate() throws {
        if json && summary { throw ValidationError("--summary and --json cannot be used together: --json prints the whole plan.") }
    }
}

struct Roster: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a plan's roster by adviser or by school.")

    enum View: String, ExpressibleByArgument, CaseIterable { case adviser, school }

    @Argument(help: "A plan file written by `solve --out`.")
    var plan: String

    @Option(name: .long, help: "Group by adviser (schools, areas, load) or by school (lead, specialists, unmet).")
    var by: View = .adviser

    @Option(name: .long, help: "text (the default) or csv: one row per adviser-school pairing, for a spreadsheet, in --by order.")
    var format: TableFormat = .text

    func run() throws {
        let plan = try Inputs.plan(plan)
        if format == .csv {
            FileHandle.standardOutput.write(Data(RosterReport.csv(plan, by: by == .school ? .school : .adviser).utf8))
            return
        }
        switch by {
        case .adviser: print(RosterReport.byAdviser(plan), terminator: "")
        case .school: print(RosterReport.bySchool(plan), terminator: "")
        }
        print(RosterReport.summary(plan), terminator: "")
    }
}

/// `--format` of `roster` and `schedule`: the terminal view, or CSV for a spreadsheet.
enum TableFormat: String, ExpressibleByArgument, CaseIterable { case text, csv }

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-check every hard rule of a plan against its scenario.",
        discussion: "Independent of the solver. Exit 0 when the plan keeps every rule, 1 when it breaks any (each is named).")

    @Argument(help: "Scenario folder the plan was made from.")
    var scenario: String

    @Argument(help: "Plan file written by `solve --out`.")
    var plan: String

    @Option(name: .long, help: ArgumentHelp("For a plan written by `whatif --out`: the change file it was made with.", valueName: "CHANGE.toml"))
    var change: String?

    func run() throws {
        var scenario = try Inputs.scenario(scenario)
        if let change { scenario = try Inputs.change(change, base: scenario).apply(to: scenario) }
        let plan = try Inputs.plan(plan)
        // A plan from `solve --allocation-only` dates no visit and reports none unplaced: its date rules are
        // not broken but not yet due, so checking them would name every pairing as a violation.
        let visitsDated = !plan.visits.isEmpty || !plan.unplaced.isEmpty
        let violations = PlanChecker.check(plan, against: scenario) + (visitsDated ? PlanChecker.checkVisits(plan, against: scenario) : [])
        if violations.isEmpty {
            // Lines of at most 80 characters: the rules checked follow on an indented line.
            print("OK: \(plan.assignments.count) assignments keep every hard rule:")
            print("  eligibility, independence, travel, needs, leads, capacity, max schools,")
            print("  budget.")
            if visitsDated {
                print("OK: \(plan.visits.count) visits keep every date rule:")
                print("  term time, closures, availability, one place at a time, one adviser per")
                print("  school at a time, days per week, gap between visits.")
            } else {
                print("No visit is dated in this plan (solved with --allocation-only), so the date rules were not checked.")
            }
            return
        }
        for violation in violations { print(violation) }
        throw CLIError(message: "\(violations.count) rule violation\(violations.count == 1 ? "" : "s") in \(self.plan)", status: .noFeasiblePlan)
    }
}

struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a plan's visits week by week, and each adviser's visit days per month.")

    @Argument(help: "A plan file written by `solve --out`.")
    var plan: String

    @Option(name: .long, help: ArgumentHelp("Only this adviser's diary.", valueName: "ID"))
    var adviser: String?

    @Option(name: .long, help: ArgumentHelp("Only visits to this school.", valueName: "ID"))
    var school: String?

    @Option(name: .long, help: ArgumentHelp("Only this ISO week, e.g. 2026-W03.", valueName: "YYYY-Www"))
    var week: String?

    @Option(name: .long, help: "text (the default) or csv: one row per dated visit, for a spreadsheet.")
    var format: TableFormat = .text

    func run() throws {
        let plan = try Inputs.plan(plan)
        try Inputs.requireAdviser(adviser, in: plan)
        if let school, plan.school(school) == nil {
            throw CLIError(message: "school \(school) is not in the plan", status: .badInput)
        }
        if let week, week.range(of: #"^[0-9]{4}-W[0-9]{2}$"#, options: .regularExpression) == nil {
            throw CLIError(message: "--week must look like 2026-W03 (ISO year and week), found \(week)", status: .badInput)
        }
        if plan.visits.isEmpty && plan.unplaced.isEmpty {
            throw CLIError(message: "\(self.plan) has no dated visits; solve the scenario again to schedule them", status: .badInput)
        }
        if format == .csv {
            FileHandle.standardOutput.write(Data(ScheduleReport.csv(plan, adviser: adviser, school: school, week: week).utf8))
            let missing = plan.unplaced.filter { (adviser == nil || $0.adviser == adviser) && (school == nil || $0.school == school) }
                .reduce(0) { $0 + $1.count }
            // The CSV holds dated visits only; say so rather than let undated ones vanish from the spreadsheet.
            if missing > 0 { Output.standardError("\(missing) visit\(missing == 1 ? "" : "s") could not be placed and \(missing == 1 ? "is" : "are") not in the CSV; `schedule` without --format csv lists them with the reasons.") }
            return
        }
        print(ScheduleReport.weekByWeek(plan, adviser: adviser, school: school, week: week))
        print("Visit days per month:")
        print(ScheduleReport.load(plan, adviser: adviser))
        print(ScheduleReport.summary(plan), terminator: "")
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a plan's visits as a calendar: Google CSV, Outlook CSV or iCalendar (.ics).",
        discussion: "Without --adviser every adviser's visits go in one calendar. Without --out the calendar is printed. See README.md for importing into Google Calendar and Outlook.")

    @Argument(help: "A plan file written by `solve --out`.")
    var plan: String

    @Option(name: .long, help: "google-csv, outlook-csv or ics.")
    var format: CalendarFormat

    @Option(name: .long, help: ArgumentHelp("Only this adviser's visits.", valueName: "ID"))
    var adviser: String?

    @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "F"))
    var out: String?

    func run() throws {
        let plan = try Inputs.plan(plan)
        try Inputs.requireAdviser(adviser, in: plan)
        if plan.visits.isEmpty {
            throw CLIError(message: "\(self.plan) has no dated visits to export", status: .badInput)
        }
        let text = CalendarExport.render(format, plan: plan, adviser: adviser)
        if let out {
            try Output.writeAtomically(Data(text.utf8), to: out, protecting: [self.plan])
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

extension CalendarFormat: ExpressibleByArgument {}
extension ReplanScope: ExpressibleByArgument {}

/// Whether the note about a large programme without a time limit was given: once per command, which may solve twice.
enum LargeProgrammeNote {
    nonisolated(unsafe) static var given = false
}

/// A time limit given as `option` (`--time-limit`, `--resolve-time-limit`): more than 0 and at most a day.
func checkSeconds(_ seconds: Double?, option: String) throws {
    if let seconds, !(seconds > 0 && seconds <= 86_400) {
        throw ValidationError("\(option) must be more than 0 and at most 86400 seconds (a day)")
    }
}

/// What differs between the commands that share `SearchOptions`: whose search the limits apply to, and the
/// node limit when none is given.
protocol SearchScope {
    /// "a search", "each budget's search": how the options' help names what they stop.
    static var searchName: String { get }
    static var defaultNodeLimit: Int { get }
}

/// `solve`, `whatif`, `compare` and `sensitivity`: one search per plan, to `solve`'s node limit.
enum EachPlan: SearchScope {
    static let searchName = "a search"
    static let defaultNodeLimit = Solve.defaultNodeLimit
}

/// `frontier`: one search per budget, each started from the plan of the budget below.
enum EachBudget: SearchScope {
    static let searchName = "each budget's search"
    static let defaultNodeLimit = BudgetFrontier.defaultNodeLimit
}

/// Search settings shared by the commands that solve: when to stop, and on how many cores.
struct SearchOptions<Scope: SearchScope>: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Stop \(Scope.searchName) after this many seconds with the best plan found and its gap (counted from building the model; loading the scenario before and dating visits after are not). The plan then depends on the machine's speed.", valueName: "S"))
    var timeLimit: Double?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Stop \(Scope.searchName) after N branch-and-bound nodes with the best plan found and its gap; 0 for no limit. Unlike a time limit, gives the same plan on any machine.", valueName: "N"))
    var nodeLimit: Int = Scope.defaultNodeLimit

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Stop \(Scope.searchName) when the relative optimality gap is at most G (e.g. 0.01 for 1%).", valueName: "G"))
    var gap: Double = 0

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Cores the search may use (default: all). With more than one, a programme that does not split into independent regions is searched with two settings at once, and regions are solved side by side; 1 runs the two settings in turn and leaves the other cores free (and is how tools/peers compares with single-threaded solvers).", valueName: "N"))
    var threads: Int?

    func validate() throws {
        if nodeLimit < 0 { throw ValidationError("--node-limit must be 0 (no limit) or a positive number of nodes") }
        try checkSeconds(timeLimit, option: "--time-limit")
        if !(gap >= 0 && gap < 1) { throw ValidationError("--gap must be at least 0 and below 1 (e.g. 0.01 for 1%)") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be between 1 and 256") }
    }

    /// Programmes of this many schools are planned with a time limit (`tools/bench` does so from here up):
    /// without one, every region's search runs to the node limit after a heuristic with no deadline.
    static var largeProgrammeSchools: Int { 5_000 }

    /// The solve's options. Ctrl-C stops the search with the best plan found so far, and on a terminal the
    /// search reports on stderr, each line starting with `progressLabel` (which solve it is); with no label,
    /// the command shows its own progress. A large programme without `--time-limit` gets a note on stderr first.
    /// - Parameter wholeProgramme: false for a what-if planned again around its change only, which takes
    ///   seconds: no note that a whole solve without a time limit can take an hour.
    func allocation(for scenario: Scenario, progressLabel: String?, wholeProgramme: Bool = true) -> AllocationOptions {
        if wholeProgramme, timeLimit == nil, scenario.schools.count >= Self.largeProgrammeSchools, !LargeProgrammeNote.given {
            LargeProgrammeNote.given = true
            Output.standardError("note: \(scenario.schools.count) schools and no --time-limit: the search runs to its node limit in every"
                                 + " region, which can take an hour (a generated 22,000-school programme was still searching after 25 minutes);"
                                 + " --time-limit 590 gives a plan and its gap within ten minutes. Ctrl-C stops with the best plan so far.")
        }
        var options = AllocationOptions(timeLimitSeconds: timeLimit, relativeGap: gap, nodeLimit: nodeLimit == 0 ? nil : nodeLimit)
        options.threads = threads
        InterruptFlag.shared.install()
        options.shouldStop = { InterruptFlag.shared.isRaised }
        if let progressLabel, Output.standardErrorIsTerminal {
            options.progress = { p in
                var line = "\r  \(progressLabel): \(String(format: "%.1f", p.elapsedSeconds)) s"
                if let incumbent = p.incumbent { line += ", best plan \(Figures.objective(incumbent))" }
                if let bound = p.bound { line += ", bound \(Figures.objective(bound))" }
                if let gap = p.gap { line += ", gap \(Figures.percent(gap))" }
                if let done = p.blocksDone, let blocks = p.blocks { line += ", \(done) of \(blocks) regions done" }
                FileHandle.standardError.write(Data((line + "   ").utf8))
            }
        }
        return options
    }
}

struct WhatIf: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Re-plan a scenario after a change, disturbing as little as possible, and show what changes.",
        discussion: "The base scenario's files are never edited. The change file (TOML, see README.md) removes or adds advisers or schools, scales capacity, changes needs, the budget, weights or rules, forbids or requires pairings, or moves the programme dates. Each pairing of the base plan that is still allowed is kept unless changing it is worth more than the disruption weight; dated visits that are still valid keep their dates. A local change (advisers, schools, capacity, needs, pairings) may be re-planned only where it is felt (--replan neighbourhood, the default for a national programme), the rest kept as in the base plan. The search limits apply to each solve: the base's (unless --base gives its plan) and the changed scenario's; Ctrl-C stops the search under way and keeps its best plan.")

    @Argument(help: "The base scenario folder.")
    var scenario: String

    @Option(name: .long, help: ArgumentHelp("The change file.", valueName: "CHANGE.toml"))
    var change: String

    @Option(name: .long, help: ArgumentHelp("A plan of the base scenario written by `solve --out` (default: solve the base now).", valueName: "PLAN.json"))
    var base: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Points a kept pairing is worth (default: the change file's disruption_weight, else 500).", valueName: "W"))
    var disruption: Double?

    @Flag(help: "Keep every base pairing that is still allowed; place only what must move.")
    var keepAllFeasible = false

    @Option(name: .long, help: ArgumentHelp("How much to plan again: `whole` (the whole programme) or `neighbourhood` (only the schools the change touches and those of the advisers who could cover them; the rest stays as in the base plan). Default: whole, or neighbourhood for a local change (advisers, schools, capacity, needs, pairings) when the model's largest region has more than 100,000 columns, where a whole solve takes minutes.", valueName: "SCOPE"))
    var replan: ReplanScope?

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Write the changed plan to this file.", valueName: "CHANGED.json"))
    var out: String?

    @OptionGroup var search: SearchOptions<EachPlan>

    func validate() throws {
        if let disruption, !(disruption >= 0 && disruption <= 1e6) { throw ValidationError("--disruption must be between 0 and 1000000") }
    }

    func run() throws {
        let baseScenario = try Inputs.scenario(scenario)
        let edit = try Inputs.change(change, base: baseScenario)
        let changed = edit.apply(to: baseScenario)
        if replan == .neighbourhood, edit.reach == nil {
            throw CLIError(message: "--replan neighbourhood: \(change) changes the budget, weights, rules, dates or every adviser's capacity, which reach the whole programme; re-plan it whole", status: .badInput)
        }
        if let out { try Output.checkWritable(out, protecting: baseScenario.inputFiles + [change] + (base.map { [$0] } ?? [])) }
        let basePlan: Plan
        if let base {
            basePlan = try Inputs.plan(base, madeFrom: baseScenario, folder: scenario)
        } else {
            basePlan = try Pipeline.run(baseScenario, options: search.allocation(for: baseScenario, progressLabel: "solving the base")).plan
        }
        var options = search.allocation(for: changed, progressLabel: "solving after the change",
                                        wholeProgramme: edit.reach == nil || replan == .whole)
        options.basePlan = basePlan
        options.changeReach = edit.reach
        options.replan = replan
        options.disruptionWeight = disruption ?? edit.disruptionWeight ?? 500
        options.keepAllFeasible = keepAllFeasible || (edit.keepAllFeasible ?? false)
        let result = try Pipeline.run(changed, options: options)
        var diff = PlanDiff.between(basePlan, result.plan, changed: changed, bonusAfter: result.allocation.disruptionBonus)
        diff.replannedSchools = result.allocation.replannedSchools
        if let out { try Output.writeAtomically(try result.plan.jsonData(), to: out, protecting: baseScenario.inputFiles + [change]) }
        if json {
            try Output.printJSON(diff)
        } else {
            if !edit.description.isEmpty { print(edit.description + "\n") }
            print(DiffReport.text(diff, before: basePlan, after: result.plan, changes: edit.summary), terminator: "")
            let around = result.allocation.replannedSchools.map { "; re-planned around the change (\($0) school\($0 == 1 ? "" : "s"), the rest as in the base plan)" } ?? ""
            print("\nAfter the change: \(result.plan.standing)" + around
                  + "; disruption weight \(formatNumber(options.disruptionWeight))" + (options.keepAllFeasible ? ", every allowed pairing kept" : ""))
            if let out { print("Changed plan written to \(out)") }
        }
        InterruptFlag.noteInterruption(json: json)
    }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Solve two scenarios independently and show what differs between their plans.",
        discussion: "The search limits apply to each of the two solves; Ctrl-C stops the search under way and keeps its best plan.")

    @Argument(help: "The first scenario folder.")
    var first: String

    @Argument(help: "The second scenario folder.")
    var second: String

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    @OptionGroup var search: SearchOptions<EachPlan>

    func run() throws {
        let a = try Inputs.scenario(first), b = try Inputs.scenario(second)
        // Regions the two scenarios share are searched once (without a time limit; see BlockAnswers).
        let answers = BlockAnswers()
        func plan(_ s: Scenario, label: String) throws -> Plan {
            var options = search.allocation(for: s, progressLabel: "solving \(label)")
            options.blockAnswers = answers
            return try Pipeline.run(s, options: options).plan
        }
        let planA = try plan(a, label: first), planB = try plan(b, label: second)
        let diff = PlanDiff.between(planA, planB, changed: b)
        if json {
            try Output.printJSON(diff)
        } else {
            print("Comparing \(a.name) (before) with \(b.name) (after)\n")
            print(DiffReport.text(diff, before: planA, after: planB), terminator: "")
            // Two plans not proven optimal may differ by where each search stopped, not only by the scenarios.
            print("\nBefore: \(planA.standing); after: \(planB.standing)")
        }
        InterruptFlag.noteInterruption(json: json)
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a scenario folder and report every problem as file:line:column.")

    @Argument(help: "Scenario folder.")
    var scenario: String

    func run() throws {
        let s = try Inputs.scenario(scenario)
        // The eligible pairs only, not the whole model: counting them is all this needs.
        let eligibility = EligibilityTable(scenario: s)
        let pairs = eligibility.eligiblePairs()
        let needDays = s.needs.reduce(0) { $0 + $1.days }
        print("\(scenario): valid. \(s.schools.count) schools, \(s.advisers.count) advisers, \(s.needs.count) needs (\(Figures.days(needDays)) days), \(s.roster.count) current pairings.")
        print("Eligible adviser-school pairs: \(pairs.count); capacity \(Figures.days(s.advisers.reduce(0) { $0 + $1.capacityDays })) days; lead days \(Figures.days(s.rules.requireLead ? Double(s.schools.count) * s.rules.leadDays : 0)).")
        // How much of the budget the leads alone take, at the least: what a budget cannot go below.
        let cheapestLeads = s.programme.budget == nil ? nil : eligibility.cheapestLeadsCost(among: pairs)
        if let budget = s.programme.budget, let leads = cheapestLeads {
            print("Budget \(Figures.pounds(budget)); leads for every school take at least \(Figures.pounds(leads)) of it (\(Figures.percent(leads / max(budget, 1)))).")
        }
        let unreached = s.rules.requireLead ? eligibility.schoolsWithoutEligibleAdviser(among: pairs) : []
        for id in unreached {
            let school = s.school(id)!
            print("warning: school \(id) (\(school.name)) has no eligible lead adviser: \(eligibility.explainNoEligibleAdviser(for: school))")
        }
        if unreached.isEmpty {
            // As `solve` counts before its search: groups short of lead places, else the totals.
            let matching = eligibility.leadMatching(among: pairs)
            let reasons = matching.map { $0.everySchoolLed ? [] : eligibility.leadShortfallReasons($0) } ?? []
            for reason in reasons.isEmpty ? eligibility.leadTotalShortfalls(among: pairs, cheapestLeads: cheapestLeads) : reasons { print("warning: \(reason)") }
        }
        if pairs.count > Self.largeModelPairs && s.rules.candidateAdvisers == nil {
            print("note: \(Figures.grouped(Double(pairs.count))) eligible pairs make a model that takes minutes and gigabytes to plan (generated"
                  + " programmes needed 3.3 GiB for 1.1 million pairs and 7 GiB for 2.5 million); `candidate_advisers = 10` under [rules]"
                  + " keeps each school's 10 nearest eligible advisers (README.md, \"scenario.toml\").")
        }
    }

    /// Past this many eligible pairs `validate` suggests `rules.candidate_advisers`: about 3 KB of memory a pair
    /// when planning (a generated 22,000 x 3,000 has 1.1 million).
    static let largeModelPairs = 1_000_000
}

struct ORLibraryGAP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orlib-gap",
        abstract: "Solve OR-Library generalized assignment instances and compare with published optima.",
        discussion: "Prints one line per instance: file, 1-based index, our objective, published optimum (or best known), status (optimal or feasible), seconds, and the relative gap to the best bound (0 when proven).",
        shouldDisplay: false)

    @Argument(help: "gapN.txt files; optima.csv is read from the same folder.")
    var files: [String]

    @Option(name: .long, parsing: .unconditional, help: "Seconds per instance.")
    var timeLimit: Double?

    @Option(name: .customLong("write-mps"), help: ArgumentHelp("Also write each instance's model in free MPS format to DIR/FILE-INDEX.mps (e.g. gap1-1.mps) before solving it.", valueName: "DIR"))
    var writeMPS: String?

    @Flag(name: .customLong("log"), help: "Print the solver's log of each instance to stderr.")
    var showLog = false

    @Option(name: .long, help: ArgumentHelp("Solve only this 1-based instance of each file (repeatable); default all.", valueName: "I"))
    var index: [Int] = []

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Cores to use (default: all). With more than one the tabu search runs beside the Lagrangian branch-and-bound, then the neighbourhood search beside GLPK's tree; with 1 each runs in turn.", valueName: "N"))
    var threads: Int?

    func run() throws {
        if let writeMPS { try FileManager.default.createDirectory(atPath: writeMPS, withIntermediateDirectories: true) }
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CLIError(message: "\(file): cannot read", status: .badInput)
            }
            let name = (file as NSString).lastPathComponent
            let optima = try publishedOptima(folder: (file as NSString).deletingLastPathComponent)
            let instances: [GeneralizedAssignmentInstance]
            do { instances = try GeneralizedAssignmentInstance.parseFile(text, name: file) }
            catch { throw CLIError(message: "\(error)", status: .badInput) }
            for (index, instance) in instances.enumerated() where self.index.isEmpty || self.index.contains(index + 1) {
                let known = optima[name + "#\(index + 1)"]
                let direction: OptimizationDirection = known?.maximise ?? true ? .maximize : .minimize
                var options = SolveOptions()
                options.timeLimitSeconds = timeLimit
                if let writeMPS {
                    let stem = (name as NSString).deletingPathExtension
                    try GLPKSolver.write(instance.model(direction: direction), mps: writeMPS + "/\(stem)-\(index + 1).mps")
                }
                let solution = try instance.solve(direction: direction, options: options,
                                                  searchBesideTree: (threads ?? ProcessInfo.processInfo.activeProcessorCount) > 1)
                if showLog { FileHandle.standardError.write(Data(solution.log.utf8)) }
                let ours = solution.objective.map { formatNumber($0.rounded(toPlaces: 6)) } ?? "-"
                // The gap between the plan and the best bound (GLPK's or the Lagrangian), when not proven.
                let gap = solution.status == .optimal ? "0" : solution.gap.map { String(format: "%.4f%%", 100 * $0) } ?? "-"
                print("\(name) \(index + 1) \(ours) \(known?.value.map { formatNumber($0) } ?? "-") \(solution.status.rawValue) \(String(format: "%.3f", solution.seconds)) \(gap)")
                fflush(nil)
            }
        }
    }

    /// optima.csv: file,index,...,orlib_sense,opt_max,opt_min,min_best_bound,min_best_solution,... The sense
    /// is read even where no proven optimum is published (then the best known solution is shown).
    func publishedOptima(folder: String) throws -> [String: (value: Double?, maximise: Bool)] {
        guard let text = try? String(contentsOfFile: folder + "/optima.csv", encoding: .utf8) else { return [:] }
        var log = DiagnosticLog()
        let table = CSVTable.parse(text, file: "optima.csv", log: &log)
        let names = table.header.map(\.text)
        guard let f = names.firstIndex(of: "file"), let i = names.firstIndex(of: "index"), let sense = names.firstIndex(of: "orlib_sense"),
              let maxColumn = names.firstIndex(of: "opt_max"), let minColumn = names.firstIndex(of: "opt_min") else { return [:] }
        let bestKnown = names.firstIndex(of: "min_best_solution")
        var out: [String: (Double?, Bool)] = [:]
        for record in table.records where record.cells.count > max(f, i, sense, maxColumn, minColumn) {
            let maximise = record.cells[sense].text == "max"
            var value = Double(record.cells[maximise ? maxColumn : minColumn].text)
            if value == nil, !maximise, let bestKnown, bestKnown < record.cells.count { value = Double(record.cells[bestKnown].text) }
            out[record.cells[f].text + "#" + record.cells[i].text] = (value, maximise)
        }
        return out
    }
}
