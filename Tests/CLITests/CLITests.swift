import Foundation
import Testing

/// Runs `adviser-planner` as a user or script would and checks exit codes, output and files.
struct CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: URL {
        // The test bundle and the executable are built into the same folder.
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent("adviser-planner")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: URL = root) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// One folder per test process holds every test's files; it is removed when the process exits,
    /// so a run leaves nothing behind in the temporary directory.
    static let testsFolder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("adviser-cli-tests-\(getpid())")
        atexit { try? FileManager.default.removeItem(at: CLI.testsFolder) }
        return url
    }()

    static func temporaryFolder() throws -> URL {
        let url = testsFolder.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A copy of a bundled scenario that a test may break.
    static func copyOfScenario(_ name: String) throws -> URL {
        let target = try temporaryFolder().appendingPathComponent(name)
        try FileManager.default.copyItem(at: root.appendingPathComponent("scenarios/\(name)"), to: target)
        return target
    }
}

@Suite(.serialized) struct CLITests {
    @Test func validateAcceptsTheBundledScenarios() throws {
        for name in ["knowsley-pathways", "knowsley-pathways-expanded", "aspire-hub", "six-school-trust"] {
            let result = try CLI.run(["validate", "scenarios/\(name)"])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(result.stdout.hasPrefix("scenarios/\(name): valid."))
        }
    }

    @Test func validateWarnsOfASchoolNobodyMayLead() throws {
        // Rivington moved to Inverness: beyond every adviser's travel limit.
        let scenario = try CLI.copyOfScenario("six-school-trust")
        let schools = scenario.appendingPathComponent("schools.csv")
        let text = try String(contentsOf: schools, encoding: .utf8).replacingOccurrences(of: ",53.4644,-2.7509\n", with: ",57.4778,-4.2247\n")
        try text.write(to: schools, atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", scenario.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").dropFirst().map(String.init) == [
            "Eligible adviser-school pairs: 13; capacity 114 days; lead days 12.",
            "warning: school 104761 (Rivington Primary School) has no eligible lead adviser: 1 of 6: it is their own school; 6 of 6: the school is beyond the travel limit; 2 of 6: they have no expertise in any of the school's need areas",
        ])
    }

    /// Each head may take one school: five schools can be led only by four heads between them. validate warns and
    /// names them; solve refuses at once with the same words (exit 1), before any search.
    @Test func leadsThatCannotFitAreNamedByValidateAndSolve() throws {
        let scenario = try CLI.copyOfScenario("six-school-trust")
        let advisers = scenario.appendingPathComponent("advisers.csv")
        let text = try String(contentsOf: advisers, encoding: .utf8).replacingOccurrences(of: ",19,2,0,", with: ",19,1,0,")
        try text.write(to: advisers, atomically: true, encoding: .utf8)
        let reason = "5 schools can be led only by 4 advisers, who have room to lead 4 of them (max_schools, and capacity at 2 lead days"
            + " each): schools 104773 (Bleak Hill Primary School), 104783 (Eccleston Mere Primary School), 134661 (Carr Mill Primary"
            + " School), 104769 (Sherdley Primary School), 104772 (Willow Tree Primary School); advisers T1 (max_schools 1, capacity_days"
            + " 19), T4 (max_schools 1, capacity_days 19), T5 (max_schools 1, capacity_days 19), T6 (max_schools 1, capacity_days 19)."
            + " Raise those advisers' max_schools or capacity_days, or add an adviser who may lead one of these schools (phase,"
            + " independence, expertise and travel decide who may)"
        let validated = try CLI.run(["validate", scenario.path])
        #expect(validated.status == 0, "\(validated.stderr)")
        #expect(validated.stdout.split(separator: "\n").last.map(String.init) == "warning: " + reason)
        let solved = try CLI.run(["solve", scenario.path])
        #expect(solved.status == 1)
        #expect(solved.stdout.isEmpty)
        #expect(solved.stderr.contains("No plan satisfies the hard rules:\n  - " + reason + "\n"), "\(solved.stderr)")
    }

    /// A budget below the cheapest leads every school can have at once: validate warns, and solve refuses before any search.
    @Test func aBudgetTooSmallForTheLeadsIsNamedByValidateAndSolve() throws {
        let scenario = try CLI.copyOfScenario("aspire-hub")
        let toml = scenario.appendingPathComponent("scenario.toml")
        let text = try String(contentsOf: toml, encoding: .utf8)
        #expect(text.contains("\nbudget = 70000\n"))
        try text.replacingOccurrences(of: "\nbudget = 70000\n", with: "\nbudget = 5000\n").write(to: toml, atomically: true, encoding: .utf8)
        let validated = try CLI.run(["validate", scenario.path])
        #expect(validated.status == 0, "\(validated.stderr)")
        #expect(validated.stdout.contains("\nBudget £5,000; leads for every school take at least £14,400 of it (288%).\n"), "\(validated.stdout)")
        let reason = try #require(validated.stdout.split(separator: "\n").last.map(String.init))
        // Each school's cheapest lead would cost £14,200; the cheapest advisers cannot lead them all, and the
        // cheapest leads every school can have at once cost £14,400.
        #expect(reason == "warning: a lead for every school costs at least £14400 but the budget is £5000 (each school's cheapest lead "
            + "would cost £14200, but the cheapest advisers' max_schools and capacity do not stretch to all of them)", "\(validated.stdout)")
        let solved = try CLI.run(["solve", scenario.path])
        #expect(solved.status == 1)
        #expect(solved.stderr == "adviser-planner: No plan satisfies the hard rules:\n  - " + reason.dropFirst("warning: ".count) + "\n", "\(solved.stderr)")
    }

    /// frontier's infeasible rows end at the cheapest leads every school can have at once (£14,400 on aspire-hub),
    /// and the table says so.
    @Test func frontierNamesTheLeastBudgetWithAPlan() throws {
        let result = try CLI.run(["frontier", "scenarios/aspire-hub", "--budget", "10000...15000", "--step", "5000", "--node-limit", "50"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(result.stdout)")
        #expect(lines[2].hasPrefix("£10,000  infeasible"), "\(result.stdout)")
        #expect(lines[3].hasPrefix("£15,000  ") && !lines[3].contains("infeasible"), "\(result.stdout)")
        #expect(lines[4] == "No budget below £14,400 has a plan: the cheapest leads every school can have at once cost that.")
    }

    /// A national programme without `candidate_advisers` is valid, but planning it takes gigabytes: validate says
    /// so and names the rule. (The bundled scenarios' validate output above has no such note.)
    @Test func validateSuggestsCandidateAdvisersForAVeryLargeModel() throws {
        let scenario = try CLI.temporaryFolder().appendingPathComponent("national").path
        let generated = try CLI.run(["generate", "--schools", "22000", "--advisers", "3000", "--out", scenario])
        #expect(generated.status == 0, "\(generated.stderr)")
        let result = try CLI.run(["validate", scenario])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").dropFirst().map(String.init) == [
            "Eligible adviser-school pairs: 1126996; capacity 212029 days; lead days 44000.",
            "Budget £142,290,000; leads for every school take at least £23,990,200 of it (17%).",
            "note: 1,126,996 eligible pairs make a model that takes minutes and gigabytes to plan (generated programmes needed 3.3 GiB"
                + " for 1.1 million pairs and 7 GiB for 2.5 million); `candidate_advisers = 10` under [rules] keeps each school's 10 nearest"
                + " eligible advisers (README.md, \"scenario.toml\").",
        ])
    }

    /// A programme of 5,000 schools or more without --time-limit would search every region to the node limit
    /// for an hour: the solve says so first, on stderr. Here one school is moved to Shetland, beyond every
    /// adviser's reach, so the solve ends as soon as the model is built (no plan: exit 1), after the note.
    @Test func aLargeProgrammeWithoutATimeLimitGetsANote() throws {
        let scenario = try CLI.temporaryFolder().appendingPathComponent("large").path
        #expect(try CLI.run(["generate", "--schools", "5000", "--advisers", "700", "--candidate-advisers", "10", "--out", scenario]).status == 0)
        let schools = scenario + "/schools.csv"
        let text = try String(contentsOfFile: schools, encoding: .utf8)
        let moved = text.replacingOccurrences(of: "G000001,Halewood Valley Primary School,primary,Knowsley,,233,19.4,2,53.3575,-2.8541",
                                              with: "G000001,Halewood Valley Primary School,primary,Knowsley,,233,19.4,2,60.1530,-1.1490")
        #expect(moved != text, "the generated first school has changed; update the line this test moves")
        try moved.write(toFile: schools, atomically: true, encoding: .utf8)
        let note = "note: 5000 schools and no --time-limit: the search runs to its node limit in every region"
        let without = try CLI.run(["solve", scenario, "--allocation-only"])
        #expect(without.status == 1 && without.stderr.hasPrefix(note) && without.stderr.contains("--time-limit 590"), "\(without.stderr)")
        #expect(without.stderr.components(separatedBy: "note: ").count == 2)
        let limited = try CLI.run(["solve", scenario, "--allocation-only", "--time-limit", "60"])
        #expect(limited.status == 1 && !limited.stderr.contains("note: "), "\(limited.stderr)")
    }

    @Test func validateReportsEveryProblemWithExitCode2() throws {
        let scenario = try CLI.copyOfScenario("six-school-trust")
        let needs = scenario.appendingPathComponent("needs.csv")
        var text = try String(contentsOf: needs, encoding: .utf8)
        text += "999999,literacy,2,1\n104769,numeracy,-1,2\n104769,coaching,1,2\n"
        try text.write(to: needs, atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", scenario.path])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasSuffix("needs.csv:16:1: school 999999 is not in schools.csv") })
        #expect(lines.contains { $0.hasSuffix("needs.csv:17:8: unknown area `numeracy`; did you mean `maths`?") })
        #expect(lines.contains { $0.hasSuffix("needs.csv:17:17: `days` must be between 0 and 500, found -1") })
        #expect(lines.contains { $0.hasSuffix("needs.csv:18:8: unknown area `coaching`; the programme's areas are literacy, maths, curriculum, pedagogy, leadership, assessment, send, safeguarding, governance, finance, attendance, behaviour, early-years (set them with `rules.areas` in scenario.toml)") })
        #expect(lines.last == "4 problems found in \(scenario.path)")
    }

    @Test func solveWritesAPlanThatRosterAndCheckRead() throws {
        let folder = try CLI.temporaryFolder()
        let plan = folder.appendingPathComponent("plan.json").path
        let solved = try CLI.run(["solve", "scenarios/six-school-trust", "--out", plan, "--write-lp", folder.path + "/m.lp", "--write-mps", folder.path + "/m.mps"])
        #expect(solved.status == 0, "\(solved.stderr)")
        #expect(solved.stdout.contains("Plan for Sankey Brook"))
        #expect(solved.stdout.contains("Plan written to \(plan)"))
        let roster = try CLI.run(["roster", plan, "--by", "school"])
        #expect(roster.status == 0)
        #expect(roster.stdout.hasPrefix("school  name"))
        let check = try CLI.run(["check", "scenarios/six-school-trust", plan])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.hasPrefix("OK: "))
        let lp = try String(contentsOfFile: folder.path + "/m.lp", encoding: .utf8)
        #expect(lp.contains("Maximize") && lp.contains("capacity_T1"))
        let mps = try String(contentsOfFile: folder.path + "/m.mps", encoding: .utf8)
        #expect(mps.contains("ROWS") && mps.contains("cover_104769_curriculum"))
        // No temporary files are left beside the outputs.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["m.lp", "m.mps", "plan.json"])
    }

    /// `--summary` prints the summary without the roster; with `--json` it is refused, as it cannot apply.
    @Test func solveSummaryLeavesOutTheRoster() throws {
        let full = try CLI.run(["solve", "scenarios/six-school-trust"])
        let brief = try CLI.run(["solve", "scenarios/six-school-trust", "--summary"])
        #expect(full.status == 0 && brief.status == 0, "\(brief.stderr)")
        #expect(full.stdout.contains("days with travel"))
        #expect(!brief.stdout.contains("days with travel"))
        #expect(brief.stdout.hasPrefix("Plan for Sankey Brook"))
        // The summary itself is the same as at the end of the full output, but for the seconds taken.
        let seconds = /in \d+\.\d\d s/
        #expect(full.stdout.replacing(seconds, with: "in _ s").hasSuffix(brief.stdout.replacing(seconds, with: "in _ s")))
        #expect(brief.stdout.contains(seconds))
        let both = try CLI.run(["solve", "scenarios/six-school-trust", "--summary", "--json"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("--summary and --json cannot be used together"))
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        let first = try CLI.run(["solve", "scenarios/six-school-trust", "--json"])
        let second = try CLI.run(["solve", "scenarios/six-school-trust", "--json"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.contains("\"status\" : \"optimal\""))
        #expect(first.stdout.contains("\"fingerprint\" : \"sha256:"))
    }

    @Test func checkNamesABrokenRuleAndExits1() throws {
        let folder = try CLI.temporaryFolder()
        let plan = folder.appendingPathComponent("plan.json").path
        #expect(try CLI.run(["solve", "scenarios/six-school-trust", "--out", plan]).status == 0)
        var text = try String(contentsOfFile: plan, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"role\" : \"lead\"", with: "\"role\" : \"specialist\"")
        try text.write(toFile: plan, atomically: true, encoding: .utf8)
        let check = try CLI.run(["check", "scenarios/six-school-trust", plan])
        #expect(check.status == 1)
        #expect(check.stdout.contains("[lead] school 104769"))
        #expect(check.stderr.contains("rule violations in \(plan)"))
    }

    @Test func neverOverwritesAnInputFile() throws {
        let scenario = try CLI.copyOfScenario("six-school-trust")
        let needs = scenario.appendingPathComponent("needs.csv")
        let before = try Data(contentsOf: needs)
        let result = try CLI.run(["solve", scenario.path, "--out", needs.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is one of the scenario's input files"))
        #expect(try Data(contentsOf: needs) == before)
    }

    @Test func noFeasiblePlanExits1WithReasonsPerSchool() throws {
        let scenario = try CLI.copyOfScenario("six-school-trust")
        let toml = scenario.appendingPathComponent("scenario.toml")
        let text = try String(contentsOf: toml, encoding: .utf8)
        try text.replacingOccurrences(of: "max_travel_minutes = 60", with: "max_travel_minutes = 1").write(to: toml, atomically: true, encoding: .utf8)
        let result = try CLI.run(["solve", scenario.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("No plan satisfies the hard rules"))
        #expect(result.stderr.contains("needs a lead adviser but nobody is eligible"))
        #expect(result.stderr.contains("the school is beyond the travel limit"))
    }

    @Test func badArgumentsAndFilesExit2() throws {
        #expect(try CLI.run(["solve", "scenarios/no-such-scenario"]).status == 2)
        #expect(try CLI.run(["solve", "--gap", "-1"]).status == 2)
        #expect(try CLI.run(["solve", "--frobnicate"]).status == 2)
        let folder = try CLI.temporaryFolder()
        try "[1,2]".write(toFile: folder.path + "/x.json", atomically: true, encoding: .utf8)
        let notAPlan = try CLI.run(["roster", folder.path + "/x.json"])
        #expect(notAPlan.status == 2)
        #expect(notAPlan.stderr.contains("not a"))
        #expect(try CLI.run(["roster", folder.path + "/missing.json"]).status == 2)
        let help = try CLI.run(["solve", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--time-limit"))
        let noTime = try CLI.run(["solve", "scenarios/six-school-trust", "--time-limit", "0"])
        #expect(noTime.status == 2 && noTime.stderr.contains("--time-limit must be more than 0 and at most 86400 seconds"))
        let reversed = try CLI.run(["frontier", "scenarios/six-school-trust", "--budget", "50000...20000", "--step", "5000"])
        #expect(reversed.status == 2 && reversed.stderr.contains("--budget: the high end (20000) is below the low end (50000)"))
        let tooMany = try CLI.run(["frontier", "scenarios/six-school-trust", "--budget", "1...100000", "--step", "1"])
        #expect(tooMany.status == 2 && tooMany.stderr.contains("more than 200 budgets"))
        let noThreads = try CLI.run(["solve", "scenarios/six-school-trust", "--threads", "0"])
        #expect(noThreads.status == 2 && noThreads.stderr.contains("--threads must be between 1 and 256"))
        // A negative figure is read as the option's value and checked, not taken for an option of its own
        // ("Missing value for '--time-limit'" said nothing about what to fix).
        for (arguments, message) in [(["solve", "scenarios/six-school-trust", "--time-limit", "-1"], "--time-limit must be more than 0"),
                                     (["solve", "scenarios/six-school-trust", "--node-limit", "-5"], "--node-limit must be 0 (no limit) or a positive"),
                                     (["solve", "scenarios/six-school-trust", "--gap", "-0.1"], "--gap must be at least 0"),
                                     (["whatif", "scenarios/six-school-trust", "--change", "x.toml", "--disruption", "-5"], "--disruption must be between 0"),
                                     (["frontier", "scenarios/six-school-trust", "--budget", "1...2", "--step", "-3"], "--step must be more than 0"),
                                     (["frontier", "scenarios/six-school-trust", "--budget", "1...2", "--step", "1", "--node-limit", "-1"], "--node-limit must be 0 (no limit) or a positive"),
                                     (["frontier", "scenarios/six-school-trust", "--budget", "1...2", "--step", "1", "--time-limit", "-2"], "--time-limit must be more than 0"),
                                     (["sensitivity", "scenarios/six-school-trust", "--resolve-time-limit", "-1"], "--resolve-time-limit must be more than 0"),
                                     (["generate", "--schools", "-5", "--advisers", "3", "--out", folder.path + "/g"], "--schools must be a whole number from 1 to 30000; found -5")] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    /// A plan file cut short says where; one edited (an adviser it does not list, an absurd figure, a field
    /// gone) says which record.
    @Test func aDamagedPlanFileIsNamedWithItsPlace() throws {
        let folder = try CLI.temporaryFolder()
        let plan = folder.path + "/plan.json"
        #expect(try CLI.run(["solve", "scenarios/six-school-trust", "--allocation-only", "--out", plan]).status == 0)
        let text = try String(contentsOfFile: plan, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        try lines.prefix(10).joined(separator: "\n").write(toFile: folder.path + "/cut.json", atomically: true, encoding: .utf8)
        let cut = try CLI.run(["roster", folder.path + "/cut.json"])
        #expect(cut.status == 2)
        #expect(cut.stderr.hasPrefix("adviser-planner: \(folder.path)/cut.json:10:"))
        #expect(cut.stderr.contains("not valid JSON here"))
        /// The plan with `of` replaced by `with`, as NAME.json: the roster must refuse it (exit 2) with `message`.
        func refused(_ name: String, _ of: String, _ with: String, _ message: String) throws {
            let edited = text.replacingOccurrences(of: of, with: with)
            #expect(edited != text)
            try edited.write(toFile: folder.path + "/\(name).json", atomically: true, encoding: .utf8)
            let roster = try CLI.run(["roster", folder.path + "/\(name).json"])
            #expect(roster.status == 2)
            #expect(roster.stderr.contains(message), "\(roster.stderr)")
        }
        // The adviser table's first id renamed: T1's assignments would vanish from the roster.
        try refused("renamed", "\"id\" : \"T1\"", "\"id\" : \"T9\"",
                    "names adviser T1, who is not in the plan's `advisers` table; the file was edited or damaged")
        // A figure no solve writes (found by fuzzing: the roster trapped converting it to a whole number),
        // placed at its value: line 4 is T1's `      "capacity_days" : 19,`.
        try refused("huge", "\"capacity_days\" : 19", "\"capacity_days\" : 99999999999999999999",
                    "huge.json:4:25: adviser 1 (T1): `capacity_days` is 1e+20, expected 0 to 100000; the file was edited or damaged")
        // Valid JSON, but not a date: placed at the value (line 202 is `    "end" : "2027-07-21",`).
        try refused("date", "\"end\" : \"2027-07-21\"", "\"end\" : \"2027-02-30\"",
                    "date.json:202:13: not a readable plan file: `2027-02-30` is not a date YYYY-MM-DD")
        // A field removed: the message names the record that lacks it, placed at the record's opening brace.
        let record = (lines.firstIndex { $0.hasPrefix("  \"assignments\" : [") } ?? 0) + 2
        try refused("missing", "\"lead_days\" :", "\"lead_dayz\" :",
                    "missing.json:\(record):5: not a plan file: the field `assignments[1].lead_days` is missing")
    }

    /// One core or all: the same proven optimum (with one core only the first settings run).
    @Test func oneThreadOrAllProveTheSameOptimum() throws {
        func solved(_ extra: [String]) throws -> [String: Any] {
            let result = try CLI.run(["solve", "scenarios/aspire-hub", "--allocation-only", "--json"] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        }
        let one = try solved(["--threads", "1"]), all = try solved([])
        #expect(one["status"] as? String == "optimal" && all["status"] as? String == "optimal")
        #expect(one["objective"] as? Double == all["objective"] as? Double)
    }

    @Test func scheduleAndExportReadTheDatedPlan() throws {
        let folder = try CLI.temporaryFolder()
        let plan = folder.appendingPathComponent("plan.json").path
        let solved = try CLI.run(["solve", "scenarios/six-school-trust", "--out", plan])
        #expect(solved.status == 0)
        #expect(solved.stdout.contains("every visit has a date"))
        let all = try CLI.run(["schedule", plan])
        #expect(all.status == 0)
        #expect(all.stdout.hasPrefix("week      date"))
        #expect(all.stdout.contains("Visit days per month:"))
        let one = try CLI.run(["schedule", plan, "--adviser", "T1"])
        #expect(one.status == 0)
        let rows = one.stdout.split(separator: "\n").filter { $0.contains(":00-") }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(" T1 ") })
        #expect(try CLI.run(["schedule", plan, "--week", "2026-38"]).status == 2)
        #expect(try CLI.run(["schedule", plan, "--adviser", "Z9"]).status == 2)

        let ics = folder.appendingPathComponent("t1.ics").path
        #expect(try CLI.run(["export", plan, "--format", "ics", "--adviser", "T1", "--out", ics]).status == 0)
        let icsText = try String(contentsOfFile: ics, encoding: .utf8)
        #expect(icsText.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(icsText.contains("TZID=Europe/London"))
        let google = try CLI.run(["export", plan, "--format", "google-csv"])
        #expect(google.status == 0)
        #expect(google.stdout.hasPrefix("Subject,Start Date,Start Time,End Date,End Time,All Day Event,Description,Location,Private\r\n"))
        #expect(try CLI.run(["export", plan, "--format", "google-csv"]).stdout == google.stdout)
        let outlook = try CLI.run(["export", plan, "--format", "outlook-csv"])
        #expect(outlook.status == 0 && outlook.stdout.hasPrefix("Subject,Start Date,Start Time,End Date,End Time,All day event"))
        #expect(try CLI.run(["export", plan, "--format", "pdf"]).status == 2)
        // The plan itself is never overwritten by an export.
        #expect(try CLI.run(["export", plan, "--format", "ics", "--out", plan]).status == 2)
        #expect((try? Plan(path: plan)) != nil)
    }

    @Test func whatifShowsWhatAChangeDisturbsAndNeverEditsTheBase() throws {
        let folder = try CLI.temporaryFolder()
        let scenarioFiles = try FileManager.default.contentsOfDirectory(atPath: CLI.root.path + "/scenarios/knowsley-pathways").sorted()
        let before = try scenarioFiles.filter { $0.hasSuffix(".csv") || $0.hasSuffix(".toml") }
            .map { try Data(contentsOf: CLI.root.appendingPathComponent("scenarios/knowsley-pathways/\($0)")) }
        let changed = folder.appendingPathComponent("changed.json").path
        let result = try CLI.run(["whatif", "scenarios/knowsley-pathways", "--change", "scenarios/knowsley-pathways/whatif/adviser-leaves.toml",
                                  "--node-limit", "50", "--out", changed])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("remove adviser A07 (Joanne Milburn)"))
        #expect(result.stdout.contains("the adviser left"))
        #expect(result.stdout.contains("Pairings kept: "))
        #expect((try? Plan(path: changed)) != nil)
        let check = try CLI.run(["check", "scenarios/knowsley-pathways", changed, "--change", "scenarios/knowsley-pathways/whatif/adviser-leaves.toml"])
        #expect(check.status == 0, "\(check.stdout)")
        // Re-planned around the change only: the plan says so and keeps every hard rule.
        let around = try CLI.run(["whatif", "scenarios/knowsley-pathways", "--change", "scenarios/knowsley-pathways/whatif/adviser-leaves.toml",
                                  "--node-limit", "50", "--replan", "neighbourhood", "--out", changed])
        #expect(around.status == 0, "\(around.stderr)")
        #expect(around.stdout.contains("the adviser left") && around.stdout.contains("; re-planned around the change ("), "\(around.stdout)")
        let aroundJSON = try CLI.run(["whatif", "scenarios/knowsley-pathways", "--change", "scenarios/knowsley-pathways/whatif/adviser-leaves.toml",
                                      "--node-limit", "50", "--replan", "neighbourhood", "--json"])
        let replanned = (try JSONSerialization.jsonObject(with: Data(aroundJSON.stdout.utf8)) as? [String: Any])?["replannedSchools"] as? Int
        #expect(replanned.map { $0 > 0 && $0 <= 29 } == true, "\(aroundJSON.stdout.prefix(200))")
        let checkAround = try CLI.run(["check", "scenarios/knowsley-pathways", changed, "--change", "scenarios/knowsley-pathways/whatif/adviser-leaves.toml"])
        #expect(checkAround.status == 0, "\(checkAround.stdout)")
        // A budget cut reaches the whole programme: refused before anything is solved.
        let global = try CLI.run(["whatif", "scenarios/knowsley-pathways", "--change", "scenarios/knowsley-pathways/whatif/budget-cut.toml",
                                  "--replan", "neighbourhood"])
        #expect(global.status == 2 && global.stderr.contains("--replan neighbourhood: scenarios/knowsley-pathways/whatif/budget-cut.toml changes the budget"),
                "\(global.stderr)")
        let after = try scenarioFiles.filter { $0.hasSuffix(".csv") || $0.hasSuffix(".toml") }
            .map { try Data(contentsOf: CLI.root.appendingPathComponent("scenarios/knowsley-pathways/\($0)")) }
        #expect(before == after)
        let json = try CLI.run(["whatif", "scenarios/knowsley-pathways", "--change", "scenarios/knowsley-pathways/whatif/budget-cut.toml",
                                "--node-limit", "50", "--json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["schools"] != nil && object?["before"] != nil && object?["after"] != nil && object?["replannedSchools"] == nil)
        // Both solves stopped at the node limit: each side says so, with its gap, for a script to weigh.
        for side in ["before", "after"] {
            let totals = object?[side] as? [String: Any]
            #expect(totals?["status"] as? String == "feasible", "\(side)")
            #expect((totals?["gap"] as? Double ?? 0) > 0, "\(side)")
        }
    }

    @Test func aBadChangeFileIsReportedWithItsLocation() throws {
        let folder = try CLI.temporaryFolder()
        let change = folder.appendingPathComponent("bad.toml")
        try "[[remove_adviser]]\nid = \"Z99\"\n".write(to: change, atomically: true, encoding: .utf8)
        let result = try CLI.run(["whatif", "scenarios/six-school-trust", "--change", change.path, "--node-limit", "10"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.toml:2:6:"))
        #expect(result.stderr.contains("Z99"))
    }

    @Test func sensitivityRanksTheAdvisersAgainstAProvenBasePlan() throws {
        let result = try CLI.run(["sensitivity", "scenarios/six-school-trust"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Without each adviser (re-solved from the plan with their work removed)\n"))
        for adviser in ["T1", "T2", "T3", "T4", "T5", "T6"] {
            #expect(result.stdout.contains("\n  \(adviser)  "), "no row for \(adviser)")
        }
        #expect(result.stdout.contains("Value of one more day, from the duals of the LP relaxation"))
        #expect(result.stdout.hasSuffix("\nBase plan: optimal\n"))
        let bad = try CLI.run(["sensitivity", "scenarios/six-school-trust", "--time-limit", "0"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--time-limit must be more than 0"))

        // --advisers: only those re-solved; an id the scenario lacks is refused before anything is solved.
        let two = try CLI.run(["sensitivity", "scenarios/six-school-trust", "--advisers", "T5, T2"])
        #expect(two.status == 0, "\(two.stderr)")
        let rows = two.stdout.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty }.dropFirst(3)
        #expect(rows.map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["T2", "T5"], "\(two.stdout)")
        for (list, message) in [("T1,T9", "--advisers: scenarios/six-school-trust has no adviser `T9`; did you mean `T1`?"),
                                (" , ", "--advisers: give at least one adviser id, e.g. --advisers A03,A07")] {
            let refused = try CLI.run(["sensitivity", "scenarios/six-school-trust", "--advisers", list])
            #expect(refused.status == 2 && refused.stderr == "adviser-planner: \(message)\n", "\(refused.stderr)")
        }

        // --base: the plan of `solve --out` instead of solving it again, the same report; only a plan of this
        // scenario, and no limits for a solve that does not happen.
        let plan = try CLI.temporaryFolder().appendingPathComponent("plan.json").path
        #expect(try CLI.run(["solve", "scenarios/six-school-trust", "--out", plan]).status == 0)
        let fromFile = try CLI.run(["sensitivity", "scenarios/six-school-trust", "--base", plan])
        #expect(fromFile.status == 0 && fromFile.stdout == result.stdout, "\(fromFile.stderr)")
        let other = try CLI.run(["sensitivity", "scenarios/aspire-hub", "--base", plan])
        #expect(other.status == 2 && other.stderr == "adviser-planner: \(plan) was not made from scenarios/aspire-hub as it is now (fingerprints differ); solve it again\n",
                "\(other.stderr)")
        let limited = try CLI.run(["sensitivity", "scenarios/six-school-trust", "--base", plan, "--time-limit", "5"])
        #expect(limited.status == 2 && limited.stderr.contains("--time-limit and --gap stop the base plan's solve, and --base gives that plan"))

        // --replan neighbourhood: each re-solve only around the adviser, and the table says so.
        let around = try CLI.run(["sensitivity", "scenarios/six-school-trust", "--base", plan, "--replan", "neighbourhood", "--advisers", "T2"])
        #expect(around.status == 0, "\(around.stderr)")
        #expect(around.stdout.hasPrefix("Without each adviser (re-planned around them: their schools and those of the advisers\nwho could cover them; the rest as in the base plan)\n"))
        #expect(around.stdout.contains("\n  T2  ") && around.stdout.contains("re-planned"), "\(around.stdout)")
        let unknown = try CLI.run(["sensitivity", "scenarios/six-school-trust", "--replan", "nearby"])
        #expect(unknown.status == 2 && unknown.stderr.contains("'whole'") && unknown.stderr.contains("'neighbourhood'"), "\(unknown.stderr)")
    }

    @Test func compareOfAScenarioWithItselfFindsNoChange() throws {
        let result = try CLI.run(["compare", "scenarios/six-school-trust", "scenarios/six-school-trust"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("No school changes adviser."))
        #expect(result.stdout.contains("Pairings kept: 10; ended: 0; new: 0"))
        #expect(result.stdout.hasSuffix("\nBefore: optimal; after: optimal\n"))
        let json = try CLI.run(["compare", "scenarios/six-school-trust", "scenarios/six-school-trust", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        for side in ["before", "after"] {
            let totals = object?[side] as? [String: Any]
            #expect(totals?["status"] as? String == "optimal")
            #expect(totals?["gap"] == nil, "a proven plan has no gap to report")
        }
    }
}

/// Reads back a plan file written by the CLI (a JSON object with a "format" field).
struct Plan {
    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard (object?["format"] as? String)?.hasPrefix("adviser-planner plan") == true else { throw CocoaError(.fileReadCorruptFile) }
    }
}

@Suite struct ORLibraryCLITests {
    /// One line per instance, the last field the gap to the best bound: 0 once proven. The fixture folder has
    /// no optima.csv, so the published value is "-" and the sense defaults to maximising.
    @Test func orlibGapPrintsEachInstanceWithItsGap() throws {
        let result = try CLI.run(["orlib-gap", "--index", "2", "--index", "4", "Tests/AdviserSolverTests/Fixtures/gap1.txt"])
        #expect(result.status == 0, "\(result.stderr)")
        let fields = result.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(fields.count == 2)
        #expect(fields.map { $0.count } == [7, 7])
        #expect(fields.map { Array($0[0...4]) } == [["gap1.txt", "2", "327", "-", "optimal"], ["gap1.txt", "4", "341", "-", "optimal"]])
        #expect(fields.map { $0[6] } == ["0", "0"])
        let missing = try CLI.run(["orlib-gap", "no-such-file.txt"])
        #expect(missing.status == 2 && missing.stderr.contains("no-such-file.txt: cannot read"))
    }
}
