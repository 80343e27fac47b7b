import Foundation
import Testing

/// The genuine GIAS export for Hampshire and Surrey, beside the project (see ../shared/data/README.md).
private let sample = CLI.root.appendingPathComponent("../shared/data/schools/gias_full_schema_sample_hampshire_surrey_20220420.csv")
    .standardizedFileURL.path
private let haveSample = FileManager.default.fileExists(atPath: sample)

/// Rewrites a CSV file in a scenario folder, cell by cell (the cells here hold no commas or quotes).
private func blankColumn(_ column: String, in file: URL) throws {
    var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let index = lines[0].split(separator: ",").firstIndex(of: Substring(column))!
    for i in 1..<lines.count where !lines[i].isEmpty {
        var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[index] = ""
        lines[i] = cells.joined(separator: ",")
    }
    try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
}

/// Ids in the first column of a schools.csv.
private func ids(_ csv: String) -> [String] {
    csv.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
}

@Suite struct ImportCLITests {
    @Test(.enabled(if: haveSample))
    func theImportedSchoolsValidateWithAGeneratedAdviserPool() throws {
        let folder = try CLI.temporaryFolder().appendingPathComponent("hants-surrey")
        #expect(try CLI.run(["generate", "--schools", "5", "--advisers", "20", "--out", folder.path]).status == 0)
        let schools = folder.appendingPathComponent("schools.csv")
        let result = try CLI.run(["import", "gias", sample, "--la", "Hampshire", "--la", "surrey", "--open-only", "--out", schools.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("Kept 728: Hampshire 427, Surrey 301; primary 724, all-through 4."))
        #expect(lines.contains("  368 not open (--open-only)"))
        #expect(lines.contains("\(sample):1087:303: warning: URN 148385 (Marnel Junior School): `NumberOfPupils` is blank; `pupils` is left blank"))
        #expect(lines.last == "Wrote 728 schools to \(schools.path).")
        let csv = try String(contentsOf: schools, encoding: .utf8)
        #expect(ids(csv).count == 728 && ids(csv) == ids(csv).sorted { Int($0)! < Int($1)! })

        // The generated pool's needs, home schools and closures name generated schools: replace them.
        let needs = "school,area,days,priority\n" + ids(csv).map { "\($0),literacy,2,2\n" }.joined()
        try needs.write(to: folder.appendingPathComponent("needs.csv"), atomically: true, encoding: .utf8)
        try "school,start,end,reason\n".write(to: folder.appendingPathComponent("closures.csv"), atomically: true, encoding: .utf8)
        try blankColumn("home_school", in: folder.appendingPathComponent("advisers.csv"))
        let validate = try CLI.run(["validate", folder.path])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.hasPrefix("\(folder.path): valid. 728 schools, 20 advisers, 728 needs"))

        // Same export, same options: same bytes.
        let again = try CLI.run(["import", "gias", sample, "--la", "Surrey", "--la", "Hampshire", "--open-only"])
        #expect(again.stdout == csv)
    }

    @Test(.enabled(if: haveSample))
    func aSmallImportedScenarioSolvesAndExportsAsCSV() throws {
        let folder = try CLI.temporaryFolder()
        let imported = try CLI.run(["import", "gias", sample, "--la", "Hampshire", "--la", "Surrey", "--phase", "all-through",
                                    "--out", folder.path + "/schools.csv"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try String(contentsOfFile: folder.path + "/schools.csv", encoding: .utf8) == """
        id,name,phase,local_authority,trust,pupils,disadvantaged_pct,inspection_grade,latitude,longitude
        116234,Alderwood School,all-through,Hampshire,,1417,21.7,2,51.24860,-0.74420
        116407,The Westgate School,all-through,Hampshire,,1623,6.5,2,51.06812,-1.33033
        125279,Royal Alexandra and Albert School,all-through,Surrey,,1125,6.1,3,51.26123,-0.17339
        138226,Cobham Free School,all-through,Surrey,COBHAM FREE SCHOOL TRUST,642,13,2,51.33938,-0.39697

        """)
        // Three invented advisers near the schools (Farnham, Winchester, Leatherhead).
        try """
        [programme]
        name = "Hampshire and Surrey all-through"
        start = 2026-09-01
        end = 2027-07-16

        [rules]
        independence = "trust"
        """.write(toFile: folder.path + "/scenario.toml", atomically: true, encoding: .utf8)
        try """
        id,name,role,home_latitude,home_longitude,phases,expertise,capacity_days,max_schools,day_rate
        H1,Hannah Farley,former HMI,51.2140,-0.7990,all-through;secondary,literacy:3;leadership:2,30,3,600
        H2,Winston Chase,serving headteacher,51.0630,-1.3160,all-through,literacy:2;leadership:3,20,2,500
        H3,Leah Head,Ofsted inspector,51.2970,-0.3290,all-through,literacy:3,30,3,650

        """.write(toFile: folder.path + "/advisers.csv", atomically: true, encoding: .utf8)
        try """
        school,area,days,priority
        116234,literacy,4,3
        116407,leadership,3,2
        125279,literacy,4,2
        138226,literacy,2,1

        """.write(toFile: folder.path + "/needs.csv", atomically: true, encoding: .utf8)
        let plan = folder.path + "/plan.json"
        let solved = try CLI.run(["solve", folder.path, "--node-limit", "200", "--out", plan])
        #expect(solved.status == 0, "\(solved.stderr)")
        #expect(solved.stdout.contains("Schools: 4, with a lead adviser: 4"))
        #expect(try CLI.run(["check", folder.path, plan]).status == 0)

        let roster = try CLI.run(["roster", plan, "--format", "csv"])
        #expect(roster.status == 0)
        #expect(roster.stdout.hasPrefix("adviser,adviser_name,school,school_name,local_authority,phase,role,areas,lead_days,need_days,visit_days,travel_minutes,capacity_days,cost\r\n"))
        let leads = roster.stdout.components(separatedBy: "\r\n").filter { $0.contains(",lead,") }
        #expect(leads.count == 4)
        let schedule = try CLI.run(["schedule", plan, "--format", "csv", "--adviser", "H2"])
        #expect(schedule.status == 0)
        let rows = schedule.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.split(separator: ",")[5] == "H2" })
        #expect(try CLI.run(["roster", plan, "--format", "xlsx"]).status == 2)
    }

    @Test func aWindows1252ExportIsReadAndWrittenAsUTF8() throws {
        let folder = try CLI.temporaryFolder()
        let export = folder.appendingPathComponent("export.csv")
        // "École Saint-Étienne" as Windows-1252 bytes (É is 0xC9), as older GIAS downloads and Excel write it.
        var bytes = Array("URN,EstablishmentName,LA (name),PhaseOfEducation (name),Easting,Northing\r\n135796,".utf8)
        bytes += [0xC9] + Array("cole Saint-".utf8) + [0xC9] + Array("tienne,Knowsley,Primary,342713,396541\r\n".utf8)
        try Data(bytes).write(to: export)
        let result = try CLI.run(["import", "gias", export.path, "--la", "Knowsley"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
        id,name,phase,local_authority,trust,pupils,disadvantaged_pct,inspection_grade,latitude,longitude
        135796,École Saint-Étienne,primary,Knowsley,,,,,53.46248,-2.86432

        """)
        #expect(result.stderr.contains("Read 1 establishment from \(export.path) (Windows-1252)."))
        #expect(result.stderr.contains("\(export.path):1:1: warning: column `PercentageFSM` is not in the export"))
    }

    @Test func badOptionsAndFilesExit2WithAWayForward() throws {
        let folder = try CLI.temporaryFolder()
        let export = folder.appendingPathComponent("export.csv")
        try "URN,EstablishmentName,LA (name),PhaseOfEducation (name),Easting,Northing\n135796,Hope Primary School,Knowsley,Primary,342713,396541\n"
            .write(to: export, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: export)

        let typo = try CLI.run(["import", "gias", export.path, "--la", "Knowsly"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("--la Knowsly: no establishment in \(export.path) is in that local authority; did you mean `Knowsley`?"))
        let phase = try CLI.run(["import", "gias", export.path, "--la", "Knowsley", "--phase", "primary,secundary"])
        #expect(phase.status == 2)
        #expect(phase.stderr.contains("--phase secundary: not a phase") && phase.stderr.contains("did you mean `secondary`?"))
        #expect(try CLI.run(["import", "gias", export.path]).status == 2)
        #expect(try CLI.run(["import", "gias", folder.path + "/missing.csv", "--la", "Knowsley"]).status == 2)
        let nothing = try CLI.run(["import", "gias", export.path, "--la", "Knowsley", "--phase", "secondary"])
        #expect(nothing.status == 2 && nothing.stderr.contains("no school to write"))

        // The export is never overwritten, and nothing is left half-written.
        let overwrite = try CLI.run(["import", "gias", export.path, "--la", "Knowsley", "--out", export.path])
        #expect(overwrite.status == 2)
        #expect(overwrite.stderr.contains("is the GIAS export itself"))
        #expect(try Data(contentsOf: export) == before)
        let notGIAS = folder.appendingPathComponent("schools.csv")
        try "id,name\n1,x\n".write(to: notGIAS, atomically: true, encoding: .utf8)
        let wrong = try CLI.run(["import", "gias", notGIAS.path, "--la", "Knowsley", "--out", folder.path + "/out.csv"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("\(notGIAS.path):1:1: this is not a Get Information about Schools export"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["export.csv", "schools.csv"])
    }
}

@Suite struct GenerateCLITests {
    @Test func candidateAdvisersIsWrittenAndReadBack() throws {
        let folder = try CLI.temporaryFolder().appendingPathComponent("national")
        let made = try CLI.run(["generate", "--schools", "40", "--advisers", "8", "--candidate-advisers", "3", "--out", folder.path])
        #expect(made.status == 0, "\(made.stderr)")
        let toml = try String(contentsOf: folder.appendingPathComponent("scenario.toml"), encoding: .utf8)
        #expect(toml.contains("travel_uses_capacity = false\ncandidate_advisers = 3\n"))
        let validated = try CLI.run(["validate", folder.path])
        #expect(validated.status == 0, "\(validated.stderr)")
    }

    @Test(arguments: ["0", "10001"])
    func candidateAdvisersOutOfRangeWritesNothing(_ k: String) throws {
        let folder = try CLI.temporaryFolder().appendingPathComponent("refused")
        let result = try CLI.run(["generate", "--schools", "40", "--advisers", "8", "--candidate-advisers", k, "--out", folder.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--candidate-advisers must be 1 to 10000 (got \(k))"))
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }
}
