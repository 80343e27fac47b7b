import Foundation
import Testing

/// `adviser-planner report`: the file it writes, what it refuses, and the page as a real browser renders it.
@Suite(.serialized) struct ReportCLITests {
    /// A six-school-trust plan (solved in well under a second) in a fresh folder.
    func solvedPlan() throws -> (folder: URL, plan: String) {
        let folder = try CLI.temporaryFolder()
        let plan = folder.appendingPathComponent("plan.json").path
        let solved = try CLI.run(["solve", "scenarios/six-school-trust", "--out", plan])
        #expect(solved.status == 0, "\(solved.stderr)")
        return (folder, plan)
    }

    @Test func writesOnePageWithTheSameBytesEveryTime() throws {
        let (folder, plan) = try solvedPlan()
        let first = folder.appendingPathComponent("report.html").path
        let result = try CLI.run(["report", plan, "--out", first])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Report written to \(first)\n")
        let html = try String(contentsOfFile: first, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<h1>Sankey Brook peer support 2026-27</h1>"))
        #expect(html.contains("<section id=\"map\"") && html.contains("<line "))  // coordinates came through the plan file
        #expect(!html.contains("id=\"changes\""))
        // A second process (another hash seed) gives the same bytes.
        let second = folder.appendingPathComponent("again.html").path
        #expect(try CLI.run(["report", plan, "--out", second]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["again.html", "plan.json", "report.html"])
    }

    @Test func compareAddsWhatChanged() throws {
        let (folder, plan) = try solvedPlan()
        let changed = folder.appendingPathComponent("changed.json").path
        let change = folder.appendingPathComponent("leave.toml")
        try "[[remove_adviser]]\nid = \"T1\"\n".write(to: change, atomically: true, encoding: .utf8)
        let whatif = try CLI.run(["whatif", "scenarios/six-school-trust", "--change", change.path, "--base", plan, "--out", changed])
        #expect(whatif.status == 0, "\(whatif.stderr)")
        let out = folder.appendingPathComponent("diff.html").path
        let result = try CLI.run(["report", changed, "--compare", plan, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("<section id=\"changes\">\n<h2>What changed</h2>"))
        #expect(html.contains("Before: <strong>plan.json</strong>"))
        #expect(html.contains("After: <strong>changed.json</strong>"))
        #expect(html.contains("the adviser left"))
        #expect(!html.contains(folder.path))  // file names only: the page is shared, the folders are private
    }

    @Test func neverOverwritesAPlanAndReportsBadInput() throws {
        let (folder, plan) = try solvedPlan()
        let before = try Data(contentsOf: URL(fileURLWithPath: plan))
        let overPlan = try CLI.run(["report", plan, "--out", plan])
        #expect(overPlan.status == 2)
        #expect(overPlan.stderr.contains("\(plan) is a plan this report reads; choose another output file"))
        let other = folder.appendingPathComponent("other.json").path
        try before.write(to: URL(fileURLWithPath: other))
        #expect(try CLI.run(["report", plan, "--compare", other, "--out", other]).status == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: plan)) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == before)

        let missing = try CLI.run(["report", folder.path + "/missing.json", "--out", folder.path + "/r.html"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing.json: cannot read the plan file"))
        #expect(try CLI.run(["report", plan]).status == 2)  // --out is required
        #expect(try CLI.run(["report", plan, "--out", folder.path + "/no-such-folder/r.html"]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/r.html"))
    }

    // MARK: In a browser

    static let chromium = "/usr/bin/chromium"

    /// Runs headless Chromium on a file and returns the DOM after load and the console messages it logged.
    /// With --enable-logging=stderr Chromium writes every console message of the page (any level, uncaught
    /// exceptions and Content-Security-Policy blocks included) to stderr as a line containing ":CONSOLE".
    func render(_ file: URL) throws -> (dom: String, console: [String]) {
        let profile = try CLI.temporaryFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                             "--disable-extensions", "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
                             "--dump-dom", file.absoluteString]
        // The log goes to a file, so that neither output can fill a pipe and block Chromium.
        let logFile = profile.appendingPathComponent("chromium.log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let log = try String(contentsOf: logFile, encoding: .utf8)
        let console = log.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("CONSOLE(") }
        return (String(decoding: outData, as: UTF8.self), console)
    }

    /// Needs Debian's chromium (`make test` installs it). Missing, the test fails rather than passing unseen.
    @Test func rendersInHeadlessChromiumWithoutConsoleErrors() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            Issue.record("\(Self.chromium) is missing: install it with `apt-get install -y chromium` (make test does) to check the HTML report in a browser")
            return
        }
        let (folder, plan) = try solvedPlan()
        // A school whose name is markup, as a hostile or careless spreadsheet might hold.
        let data = try Data(contentsOf: URL(fileURLWithPath: plan))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var schools = try #require(object["schools"] as? [[String: Any]])
        schools[0]["name"] = "<script>console.error('xss')</script><img src=x onerror=\"console.error('img')\">"
        object["schools"] = schools
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: plan))
        let page = folder.appendingPathComponent("report.html")
        #expect(try CLI.run(["report", plan, "--out", page.path]).status == 0)

        // The check itself works: a page that logs an error is caught.
        let probe = folder.appendingPathComponent("probe.html")
        try "<!DOCTYPE html><title>probe</title><script>console.error('probe-error')</script>".write(to: probe, atomically: true, encoding: .utf8)
        let probed = try render(probe)
        #expect(probed.console.contains { $0.contains("probe-error") }, "Chromium no longer logs console messages as expected")

        let rendered = try render(page)
        #expect(rendered.console.isEmpty, "console: \(rendered.console)")
        for heading in ["<h1>Sankey Brook peer support 2026-27</h1>", "<h2>Summary</h2>", "<h3>Solve facts</h3>", "<h2>Adviser load</h2>",
                        "<h2>Map</h2>", "<h2>Visits by week</h2>", "<h2>Roster by adviser</h2>", "<h2>Roster by school</h2>"] {
            #expect(rendered.dom.contains(heading), "\(heading)")
        }
        #expect(rendered.dom.contains("&lt;script&gt;console.error('xss')&lt;/script&gt;"))
        #expect(!rendered.dom.contains("<img"))
        #expect(rendered.dom.contains("</html>"))
    }
}
