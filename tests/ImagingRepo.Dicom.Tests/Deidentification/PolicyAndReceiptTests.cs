using System.Security.Cryptography;
using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Profile;
using ImagingRepo.Dicom.Deidentification.Receipts;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public class PolicyAndReceiptTests
{
    private const string Example = """
        {
          "version": 2,
          "name": "prostate-mri",
          // comments are allowed
          "options": ["RetainLongitudinalModifiedDates", "retain-patient-characteristics", "RetainSafePrivate"],
          "pseudonyms": { "patientIdFormat": "PRST-{hash:12}", "dateShiftMinDays": -730, "dateShiftMaxDays": -30 },
          "overrides": [ { "tag": "(0008,1030)", "action": "keep" },
                         { "tag": "(0012,0071)", "action": "replace", "value": "BASELINE" } ],
          "privateAllowList": [ { "creator": "SIEMENS MR HEADER", "element": "0x0C", "group": "0x0019" } ],
          "burnedIn": { "allow": false, "allowModalities": ["US"] },
          "pixelMasks": [ { "modality": "US", "rows": 480, "columns": 640, "rectangles": [ { "x": 0, "y": 0, "width": 640, "height": 40 } ] } ]
        }
        """;

    [Fact]
    public void Policy_parses_and_round_trips()
    {
        var policy = DeidentificationPolicy.Parse(Example);
        Assert.Equal(2, policy.Version);
        Assert.Equal(
            DeidentificationOptions.RetainLongitudinalModifiedDates | DeidentificationOptions.RetainPatientCharacteristics | DeidentificationOptions.RetainSafePrivate,
            policy.Options);
        Assert.Equal(-730, policy.Pseudonyms.DateShiftMinDays);
        Assert.Equal(OverrideAction.Replace, policy.Overrides[1].Action);
        Assert.Equal(["US"], policy.BurnedIn.AllowModalities);
        Assert.Equal(640, policy.PixelMasks[0].Rectangles[0].Width);

        var again = DeidentificationPolicy.Parse(policy.ToJson());
        Assert.Equal(policy.Options, again.Options);
        Assert.Equal(policy.Overrides, again.Overrides);
    }

    [Theory]
    [InlineData("""{ "options": ["RetainEverything"] }""", "unknown option 'RetainEverything'")]
    [InlineData("""{ "options": ["RetainLongitudinalFullDates", "RetainLongitudinalModifiedDates"] }""", "exclude each other")]
    [InlineData("""{ "overrides": [ { "tag": "(0008,103G)", "action": "keep" } ] }""", "overrides[0].tag")]
    [InlineData("""{ "overrides": [ { "tag": "(0008,1030)", "action": "replace" } ] }""", "'value' is required")]
    [InlineData("""{ "overrides": [ { "tag": "(0008,1030)", "action": "keep" }, { "tag": "00081030", "action": "remove" } ] }""", "overridden twice")]
    [InlineData("""{ "overrides": [ { "tag": "(7FE0,0010)", "action": "remove" } ] }""", "cannot be overridden")]
    [InlineData("""{ "overrides": [ { "tag": "PixelData", "action": "remove" } ] }""", "cannot be overridden")]
    [InlineData("""{ "overrides": [ { "tag": "StudyDescription", "action": "keep" }, { "tag": "00081030", "action": "remove" } ] }""", "overridden twice")]
    [InlineData("""{ "overrides": [ { "tag": "NoSuchKeyword", "action": "keep" } ] }""", "is not a tag like (0008,1030)")]
    [InlineData("""{ "privateAllowList": [ { "creator": "X", "element": "0x100" } ] }""", "privateAllowList[0].element")]
    [InlineData("""{ "version": 0 }""", "version must be 1 or more")]
    [InlineData("""{ "verzion": 1 }""", "verzion")]
    [InlineData("""{ "pseudonyms": { "dateShiftMinDays": 5, "dateShiftMaxDays": 1 } }""", "pseudonyms:")]
    public void Invalid_policies_say_what_and_where(string json, string expected)
    {
        var e = Assert.Throws<DeidentificationPolicyException>(() => DeidentificationPolicy.Parse(json, "p.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("p.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Receipts_are_json_lines_without_values()
    {
        var receipt = new DeidentificationReceipt
        {
            Options = ["RetainUids"],
            OutputSopInstanceUid = "2.25.1",
            OutputHash = "abc=",
            ActionCounts = new Dictionary<string, int> { ["X"] = 3 },
            Tags = new Dictionary<string, IReadOnlyList<string>> { ["X"] = ["(0010,1040)"] },
        };
        var line = receipt.ToJsonLine();
        Assert.DoesNotContain('\n', line);
        var back = DeidentificationReceipt.FromJsonLine(line);
        Assert.Equal("2.25.1", back.OutputSopInstanceUid);
        Assert.Equal(3, back.ActionCounts["X"]);
        Assert.Equal("SHA3_256", back.OutputHashType);
    }

    [Fact]
    public void Receipt_lines_are_exactly_what_the_serializer_writes()
    {
        var receipt = new DeidentificationReceipt
        {
            Options = ["RetainUids", "CleanDescriptors"],
            MethodCodes = ["113100", "113105"],
            PolicyName = "trial <A&B> 'x' \"q\" é+",
            PolicyVersion = 7,
            KeyFingerprint = "0f0dde1462c94f21",
            Disposition = "quarantined",
            QuarantineReason = "BurnedInAnnotation (0028,0301) is YES",
            OutputPath = "P/2.25.1/2.25.2/2.25.3.dcm",
            OutputSopInstanceUid = "2.25.3",
            OutputStudyInstanceUid = "2.25.1",
            OutputLength = 1234567,
            OutputHash = "ab+/cd==",
            PixelsCleaned = true,
            ActionCounts = new Dictionary<string, int> { ["X"] = 3, ["U"] = 4 },
            Tags = new Dictionary<string, IReadOnlyList<string>> { ["X"] = ["(0010,1040)", "(0008,0080)"], ["U"] = [] },
            Timestamp = new DateTimeOffset(2026, 11, 25, 12, 30, 45, 123, TimeSpan.FromHours(1)),
        };

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(receipt, ReceiptJsonContext.Default.DeidentificationReceipt), receipt.ToJsonLine());
        Assert.Equal(receipt.ToJsonLine(), DeidentificationReceipt.FromJsonLine(receipt.ToJsonLine()).ToJsonLine());
    }

    [Fact]
    public void Logged_actions_summarize_as_counts_and_sorted_distinct_tags_that_write_as_the_serializer_does()
    {
        var log = new ActionLog();
        log.Add(ActionLog.CodeOf(ElementActionKind.ReplaceUid), 0x0020000E);
        log.Add(ActionLog.CodeOf(ElementActionKind.Remove), 0x00101040);
        log.Add(ActionLog.CodeOf(ElementActionKind.ReplaceUid), 0x00080018);
        log.Add(ActionLog.CodeOf(ElementActionKind.ReplaceUid), 0x0020000E); // the same tag in another item
        log.Add(ActionLog.Removed, 0x00091010);
        log.Add(ActionLog.CodeOf(ElementActionKind.PseudonymPatientName), 0x00100010);

        var (counts, tags) = log.Summarize();

        Assert.Equal(new Dictionary<string, int> { ["X"] = 2, ["U"] = 3, ["P"] = 1 }, counts);
        Assert.Equal(["(0009,1010)", "(0010,1040)"], tags["X"]);
        Assert.Equal(["(0008,0018)", "(0020,000E)"], tags["U"]);
        Assert.Equal(["(0010,0010)"], tags["P"]);
        var receipt = new DeidentificationReceipt { ActionCounts = counts, Tags = tags };
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(receipt, ReceiptJsonContext.Default.DeidentificationReceipt), receipt.ToJsonLine());
    }

    [Fact]
    public void Receipt_writer_batches_lines_and_writes_them_on_flush_and_dispose()
    {
        var path = Path.Combine(Path.GetTempPath(), "receipts-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            var receipt = new DeidentificationReceipt { OutputPath = "a/b.dcm", OutputSopInstanceUid = "2.25.9" };
            using (var writer = new ReceiptWriter(path))
            {
                writer.Write(receipt);
                Assert.Equal(0, new FileInfo(path).Length); // pending in the batch
                writer.Flush();
                Assert.Equal([receipt.ToJsonLine()], File.ReadAllLines(path));
                writer.Write(receipt);
            }

            Assert.Equal([receipt.ToJsonLine(), receipt.ToJsonLine()], File.ReadAllLines(path));
            var disposed = new ReceiptWriter(path);
            disposed.Dispose();
            Assert.Throws<ObjectDisposedException>(() => disposed.Write(receipt));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Receipt_writer_starts_a_new_line_after_one_a_killed_run_cut_short()
    {
        var path = Path.Combine(Path.GetTempPath(), "receipts-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            var receipt = new DeidentificationReceipt { OutputPath = "a/b.dcm", OutputSopInstanceUid = "2.25.9" };
            File.WriteAllText(path, receipt.ToJsonLine() + "\n" + receipt.ToJsonLine()[..20]);
            using (var writer = new ReceiptWriter(path))
            {
                writer.Write(receipt);
            }

            var lines = File.ReadAllLines(path);
            Assert.Equal(3, lines.Length);
            Assert.Equal(receipt.ToJsonLine(), lines[2]);
            Assert.Throws<System.Text.Json.JsonException>(() => DeidentificationReceipt.FromJsonLine(lines[1]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Sha3_256_is_available_here() => Assert.True(SHA3_256.IsSupported, "OpenSSL 3 provides SHA3-256 on Linux");
}
