import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5: `--time-limit` returns the best plan with its gap; Ctrl-C stops the search and keeps the best
/// plan, a second Ctrl-C quits at once; progress is shown on stderr only when it is a terminal.
/// Nothing here measures speed: waits are for states of the process (a signal handler installed, output
/// arrived), and the 120 s limits only keep a broken build from hanging the suite.
@Suite(.serialized) struct InterruptCLITests {
    /// Never proven optimal without a node limit: the search runs until something stops it.
    static let endless = ["solve", "scenarios/knowsley-pathways", "--node-limit", "0", "--allocation-only"]

    @Test func ctrlCStopsTheSearchAndKeepsTheBestPlan() throws {
        let folder = try CLI.temporaryFolder()
        let planPath = folder.appendingPathComponent("plan.json").path
        let logs = try CLI.temporaryFolder()
        let child = try Child(Self.endless + ["--out", planPath], logs: logs)
        try child.waitUntilSearching()
        kill(child.process.processIdentifier, SIGINT)
        guard child.waitForExit() else { return }

        #expect(child.process.terminationReason == .exit && child.process.terminationStatus == 0, "\(child.stderr())")
        let plan = try #require(try? Data(contentsOf: URL(fileURLWithPath: planPath)), "no plan file after Ctrl-C")
        let object = try #require(try JSONSerialization.jsonObject(with: plan) as? [String: Any])
        // Stopped by the user: a plan that keeps the rules, not proven best, and not a time limit either.
        #expect(object["status"] as? String == "feasible")
        #expect(object["objective"] is Double)
        #expect((object["gap"] as? Double ?? 0) > 0)
        #expect(!((object["assignments"] as? [Any]) ?? []).isEmpty)
        let stdout = child.stdout()
        #expect(stdout.contains("Plan for Knowsley Pathways: feasible, objective "))
        #expect(stdout.contains("Search stopped by Ctrl-C: this is the best plan found so far"))
        #expect(stdout.contains("Plan written to \(planPath)"))
        #expect(!child.stderr().contains("pressed twice"))
        // Written through a temporary file and a rename: nothing else is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["plan.json"])

        let check = try CLI.run(["check", "scenarios/knowsley-pathways", planPath])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.hasPrefix("OK: "))
        #expect(check.stdout.contains("the date rules were not checked"))
    }

    /// The second Ctrl-C must end the process whatever it is doing. Here it is made to wait on a full
    /// stdout pipe that nobody reads, a stage that (like dating the visits of a large programme) cannot
    /// stop by itself; without the quit-at-once rule the process would wait there for ever.
    @Test func aSecondCtrlCQuitsAtOnceWithExit3() throws {
        let logs = try CLI.temporaryFolder()
        let stdout = Pipe()
        // One page of pipe instead of 64 KiB: the plan JSON (about 26 KB) cannot fit, so the process
        // blocks writing it until this test reads (it never does). F_SETPIPE_SZ is 1031 on Linux.
        let capacity = fcntl(stdout.fileHandleForReading.fileDescriptor, 1031, Int32(4096))
        try #require(capacity > 0 && capacity < 26_000, "cannot shrink the stdout pipe (F_SETPIPE_SZ): \(String(cString: strerror(errno)))")
        let child = try Child(Self.endless + ["--json"], logs: logs, stdout: stdout)
        try child.waitUntilSearching()
        kill(child.process.processIdentifier, SIGINT)
        // The plan is printed only once the search has stopped, so its first byte says the first Ctrl-C
        // was handled; the rest cannot leave the process while this test does not read.
        var ready = pollfd(fd: stdout.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
        let polled = poll(&ready, 1, 120_000)
        guard polled == 1, child.process.isRunning else {
            Issue.record("no plan on stdout within 120 s of the first Ctrl-C, or the process ended: \(child.stderr())")
            child.kill()
            return
        }
        kill(child.process.processIdentifier, SIGINT)
        guard child.waitForExit() else { return }

        #expect(child.process.terminationReason == .exit && child.process.terminationStatus == 3)
        #expect(child.stderr().contains("adviser-planner: Ctrl-C pressed twice: stopped at once, without finishing."))
        // Not printed on the way out: the plan on stdout is cut short, as the message warns.
        #expect(!child.stderr().contains("Search stopped by Ctrl-C"))
        // What reached the pipe (one page at most) is read without waiting for an end of file.
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = read(stdout.fileHandleForReading.fileDescriptor, &buffer, buffer.count)
        let partial = Data(buffer.prefix(max(0, count)))
        #expect(!partial.isEmpty && (try? JSONSerialization.jsonObject(with: partial)) == nil)
    }

    @Test func timeLimitReturnsTheBestPlanWithItsGap() throws {
        let folder = try CLI.temporaryFolder()
        let planPath = folder.appendingPathComponent("plan.json").path
        // 2 s is the limit under test, not a speed claim: the search never proves this scenario optimal.
        let result = try CLI.run(["solve", "scenarios/knowsley-pathways", "--time-limit", "2", "--node-limit", "0", "--allocation-only",
                                  "--json", "--out", planPath])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "time_limit")
        #expect(object["objective"] is Double)
        #expect((object["gap"] as? Double ?? 0) > 0)
        #expect(!((object["assignments"] as? [Any]) ?? []).isEmpty)
        #expect(!result.stderr.contains("Ctrl-C"))
        let check = try CLI.run(["check", "scenarios/knowsley-pathways", planPath])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    /// whatif solves twice (the base, then the changed scenario): a Ctrl-C during the first must stop the
    /// second too, which without a node limit would otherwise run for ever.
    @Test func ctrlCStopsBothSearchesOfAWhatIf() throws {
        let folder = try CLI.temporaryFolder()
        let changed = folder.appendingPathComponent("changed.json").path
        let change = "scenarios/knowsley-pathways/whatif/adviser-leaves.toml"
        let logs = try CLI.temporaryFolder()
        let child = try Child(["whatif", "scenarios/knowsley-pathways", "--change", change, "--node-limit", "0", "--out", changed], logs: logs)
        try child.waitUntilSearching()
        kill(child.process.processIdentifier, SIGINT)
        guard child.waitForExit() else { return }

        #expect(child.process.terminationReason == .exit && child.process.terminationStatus == 0, "\(child.stderr())")
        let stdout = child.stdout()
        #expect(stdout.contains("remove adviser A07 (Joanne Milburn)"))
        #expect(stdout.contains("After the change: feasible, gap "))
        #expect(stdout.contains("Search stopped by Ctrl-C: this is the best plan found so far"))
        #expect(stdout.contains("Changed plan written to \(changed)"))
        let check = try CLI.run(["check", "scenarios/knowsley-pathways", changed, "--change", change])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    /// whatif and compare take the same limits as solve, each applying to every solve they make.
    @Test func whatifAndCompareStopAtATimeLimit() throws {
        let folder = try CLI.temporaryFolder()
        let changed = folder.appendingPathComponent("changed.json").path
        let change = "scenarios/knowsley-pathways/whatif/budget-cut.toml"
        // 1 s is the limit under test, not a speed claim: neither solve proves this scenario optimal.
        let whatif = try CLI.run(["whatif", "scenarios/knowsley-pathways", "--change", change, "--time-limit", "1", "--node-limit", "0",
                                  "--out", changed])
        #expect(whatif.status == 0, "\(whatif.stderr)")
        #expect(whatif.stdout.contains("After the change: time_limit, gap "))
        #expect(!whatif.stdout.contains("Ctrl-C"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: changed))) as? [String: Any])
        #expect(object["status"] as? String == "time_limit")
        #expect((object["gap"] as? Double ?? 0) > 0)
        let check = try CLI.run(["check", "scenarios/knowsley-pathways", changed, "--change", change])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let compare = try CLI.run(["compare", "scenarios/knowsley-pathways", "scenarios/knowsley-pathways-expanded", "--time-limit", "1", "--node-limit", "0"])
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(compare.stdout.contains(/\nBefore: time_limit, gap \d+(\.\d+)?%; after: time_limit, gap \d+(\.\d+)?%\n/))

        for command in [["whatif", "scenarios/six-school-trust", "--change", change], ["compare", "scenarios/six-school-trust", "scenarios/aspire-hub"]] {
            let zero = try CLI.run(command + ["--time-limit", "0"])
            #expect(zero.status == 2)
            #expect(zero.stderr.contains("--time-limit must be more than 0 and at most 86400 seconds"))
            let threads = try CLI.run(command + ["--threads", "0"])
            #expect(threads.status == 2)
            #expect(threads.stderr.contains("--threads must be between 1 and 256"))
        }
    }

    /// frontier takes the same limits, for each budget's solve; Ctrl-C stops the budget under way, which
    /// keeps its plan, and leaves the budgets above it out of the table, the CSV and the chart.
    @Test func frontierStopsAtATimeLimitAndOnCtrlC() throws {
        let frontier = ["frontier", "scenarios/knowsley-pathways", "--budget", "200000...250000", "--step", "50000", "--node-limit", "0"]
        // 1 s is the limit under test, not a speed claim: no budget's search proves this scenario optimal.
        let limited = try CLI.run(frontier + ["--time-limit", "1"])
        #expect(limited.status == 0, "\(limited.stderr)")
        let rows = limited.stdout.split(separator: "\n").filter { $0.contains("£2") }
        #expect(rows.count == 2 && rows.allSatisfy { $0.contains(" time_limit ") && $0.hasSuffix("%") }, "\(limited.stdout)")
        #expect(!limited.stdout.contains("Ctrl-C"))

        let folder = try CLI.temporaryFolder()
        let csv = folder.appendingPathComponent("frontier.csv").path
        let logs = try CLI.temporaryFolder()
        let child = try Child(frontier + ["--out", csv], logs: logs)
        try child.waitUntilSearching()
        kill(child.process.processIdentifier, SIGINT)
        guard child.waitForExit() else { return }
        #expect(child.process.terminationReason == .exit && child.process.terminationStatus == 0, "\(child.stderr())")
        let stdout = child.stdout()
        #expect(stdout.contains(/\n *£200,000  feasible +£[\d,]+ +[\d.]+ of 321 +[\d.]+% +-[\d,]+ +\d+(\.\d)?%\n/), "\(stdout)")
        #expect(!stdout.contains(#/\n *£250,000 /#), "a row for the budget not solved: \(stdout)")
        #expect(stdout.contains("Stopped by Ctrl-C: the last budget solved keeps the best plan found so far; not solved: £250,000.\n"))
        let written = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\r\n")
        #expect(written.count == 2 && written[1].hasPrefix("200000,feasible,"), "\(written)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["frontier.csv", "frontier.svg"])
    }

    /// sensitivity given its base plan solves nothing before the re-solves: Ctrl-C there must stop the re-solve
    /// under way and print the table, not end the process with nothing printed (it did: no handler installed).
    @Test func sensitivityFromABasePlanStopsOnCtrlC() throws {
        let folder = try CLI.temporaryFolder()
        let base = folder.appendingPathComponent("base.json").path
        let solved = try CLI.run(["solve", "scenarios/knowsley-pathways", "--node-limit", "50", "--allocation-only", "--out", base])
        #expect(solved.status == 0, "\(solved.stderr)")
        let logs = try CLI.temporaryFolder()
        let child = try Child(["sensitivity", "scenarios/knowsley-pathways", "--base", base, "--resolve-node-limit", "1000000", "--replan", "whole"], logs: logs)
        try child.waitUntilSearching()
        kill(child.process.processIdentifier, SIGINT)
        guard child.waitForExit() else { return }
        #expect(child.process.terminationReason == .exit && child.process.terminationStatus == 0, "\(child.stderr())")
        let stdout = child.stdout()
        // The adviser under way keeps the figure its re-solve reached (the note saying so is cut off in a pipe);
        // the advisers after it are listed, not re-solved.
        #expect(stdout.contains(#/\n  A01 +Dr Helen Ashworth +[\d.]+ → [\d.]+ +\+[\d.]+ +-[\d,]+ /#), "\(stdout)")
        #expect(stdout.contains(#/\n  A12 +Sarah Lomax +\? +not re-solved: stopped by Ctrl-C\n/#), "\(stdout)")
        #expect(stdout.contains("Search stopped by Ctrl-C: this is the best plan found so far"), "\(stdout)")
    }

    @Test func noProgressLineWhenStderrIsNotATerminal() throws {
        let command = ["solve", "scenarios/six-school-trust", "--allocation-only"]
        let piped = try CLI.run(command)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(!piped.stderr.contains("solving:"))
        #expect(!piped.stderr.contains("\r"))
        #expect(!piped.stdout.contains("solving:"))
        // The same solve on a terminal does report, so the absence above is the terminal check at work.
        guard let terminal = try Terminal.run(command) else { return }
        #expect(terminal.status == 0)
        #expect(terminal.output.contains("\r  solving: "))
    }

    /// frontier and sensitivity solve many times: on a terminal each solve is named as it starts, and the
    /// line is cleared before the table; piped, nothing of it appears.
    @Test func commandsThatSolveManyTimesSayWhichSolveIsUnderWay() throws {
        let frontier = ["frontier", "scenarios/six-school-trust", "--budget", "20000...60000", "--step", "20000"]
        let piped = try CLI.run(frontier)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(!piped.stderr.contains("solving") && !piped.stdout.contains("\r"))
        guard let terminal = try Terminal.run(frontier) else { return }
        #expect(terminal.status == 0)
        let clear = "\r\u{1B}[K"
        #expect(terminal.output.hasPrefix(clear + "  solving at budget £20,000: 1 of 3" + clear + "  solving at budget £40,000: 2 of 3"
                                          + clear + "  solving at budget £60,000: 3 of 3" + clear + " budget  status"),
                "\(terminal.output.prefix(300).debugDescription)")

        guard let sensitivity = try Terminal.run(["sensitivity", "scenarios/six-school-trust"]) else { return }
        #expect(sensitivity.status == 0)
        #expect(sensitivity.output.contains(clear + "  re-solving without T1: 1 of 6" + clear))
        #expect(sensitivity.output.contains(clear + "  re-solving without T6: 6 of 6" + clear + "Without each adviser"))
    }

    @Test func progressOnATerminalIsClearedBeforeTheRoster() throws {
        // Long enough for the progress line to repeat (every second) once a plan and a bound are known.
        guard let terminal = try Terminal.run(["solve", "scenarios/knowsley-pathways", "--time-limit", "4", "--node-limit", "0", "--allocation-only"]) else { return }
        #expect(terminal.status == 0, "\(terminal.output)")
        let output = terminal.output
        let clear = "\r\u{1B}[K"
        let cleared = try #require(output.range(of: clear), "the progress line is never cleared: \(output.debugDescription)")
        let before = output[..<cleared.lowerBound], after = output[cleared.upperBound...]
        // Before the clearing: progress lines only, each rewriting the one before from the line start.
        let lines = before.split(separator: "\r", omittingEmptySubsequences: true)
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasPrefix("  solving: ") }, "\(before.debugDescription)")
        #expect(lines.contains { $0.contains(/solving: \d+\.\d s, best plan -?[\d,.]+, bound -?[\d,.]+, gap \d+(\.\d+)?%/) },
                "no progress line with the best plan, bound and gap: \(before.debugDescription)")
        // After it: the roster and summary, with no progress left in them.
        #expect(!after.contains("solving:"))
        #expect(after.contains("Plan for Knowsley Pathways: time_limit, objective "))
    }
}

extension InterruptCLITests {
    /// A programme of 900 schools, solved in regions on a terminal: the progress line counts the regions
    /// done, and with --out its 1,200-odd pairings are summarised rather than printed; piped, the roster is all there.
    @Test func aLargePlanOnATerminalIsSummarisedAndItsRegionsCounted() throws {
        let folder = try CLI.temporaryFolder()
        let scenario = folder.appendingPathComponent("programme").path, plan = folder.appendingPathComponent("plan.json").path
        #expect(try CLI.run(["generate", "--out", scenario, "--schools", "900", "--advisers", "135", "--seed", "4"]).status == 0)
        let solve = ["solve", scenario, "--time-limit", "3", "--allocation-only", "--out", plan]
        guard let terminal = try Terminal.run(solve) else { return }
        #expect(terminal.status == 0, "\(terminal.output.suffix(500))")
        #expect(terminal.output.contains(/, \d+ of \d+ regions done/))
        #expect(!terminal.output.contains("days with travel"), "the roster was printed")
        let pairings = try #require(terminal.output.firstMatch(of: /prints its ([\d,]+) pairings and every unmet need/),
                                    "\(terminal.output.suffix(500))")
        #expect(Int(pairings.1.replacingOccurrences(of: ",", with: ""))! > 1_000)
        let piped = try CLI.run(solve)
        #expect(piped.status == 0 && piped.stdout.contains("days with travel") && !piped.stdout.contains("pairings and every unmet need"))
    }
}

/// A solve running in the background, its stdout and stderr going to files (or a given pipe) so it
/// never blocks on output nobody reads, unless a test wants it to.
private final class Child {
    let process = Process()
    private let outFile: URL, errFile: URL

    init(_ arguments: [String], logs: URL, stdout: Pipe? = nil) throws {
        outFile = logs.appendingPathComponent("stdout.txt")
        errFile = logs.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLI.root
        process.standardInput = FileHandle.nullDevice
        if let stdout { process.standardOutput = stdout } else { process.standardOutput = try FileHandle(forWritingTo: outFile) }
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
    }

    deinit { if process.isRunning { kill() } }

    func stdout() -> String { (try? String(contentsOf: outFile, encoding: .utf8)) ?? "" }
    func stderr() -> String { (try? String(contentsOf: errFile, encoding: .utf8)) ?? "" }

    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits until the solve catches SIGINT (before that, Ctrl-C would kill it, as it should while
    /// loading) and has used 2.5 s of CPU, past the starting heuristic (about 1 s) into the search.
    /// The plan must survive a Ctrl-C at any stage, so the CPU figure only makes the test mean "search".
    func waitUntilSearching() throws {
        let pid = process.processIdentifier
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline && !(catchesSIGINT(pid) && cpuSeconds(pid) >= 2.5) {
            usleep(20_000)
        }
        try #require(process.isRunning, "the solve ended before it could be interrupted: \(stderr())")
        try #require(catchesSIGINT(pid), "the solve has not installed its Ctrl-C handler after 120 s")
    }

    /// False (with an issue recorded, and the process killed) if it is still running after 120 s.
    func waitForExit(seconds: Double = 120) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            Issue.record("still running \(Int(seconds)) s after Ctrl-C; killed. stderr: \(stderr())")
            kill()
            return false
        }
        process.waitUntilExit()
        return true
    }

    /// /proc/PID/status lists the caught signals as a hex mask; SIGINT is bit 1 (signal 2).
    private func catchesSIGINT(_ pid: pid_t) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << (UInt64(SIGINT) - 1)) != 0
    }

    /// User plus system CPU time of all the process's threads, from /proc/PID/stat (fields 14 and 15).
    private func cpuSeconds(_ pid: pid_t) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // After the command name in parentheses: field 3 (state) first, so utime and stime are 11 and 12.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// Runs the CLI with stdout and stderr on a pseudo-terminal, through util-linux `script`.
private enum Terminal {
    struct Result { var status: Int32; var output: String }

    /// nil (with an issue recorded) when `script` is missing: a silent pass would hide an untested path.
    static func run(_ arguments: [String]) throws -> Result? {
        let script = "/usr/bin/script"
        guard FileManager.default.isExecutableFile(atPath: script) else {
            Issue.record("\(script) is missing, so the progress line on a terminal cannot be tested; install util-linux (Debian: bsdutils)")
            return nil
        }
        let command = ([CLI.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        // -q: no "Script started" lines; -e: the command's exit status; -c: run it; /dev/null: no typescript file.
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = CLI.root
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
