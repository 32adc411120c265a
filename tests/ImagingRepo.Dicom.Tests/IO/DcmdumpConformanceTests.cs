using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Dicom.Tests.IO;

/// <summary>
/// For every corpus file dcmdump parses, our reader yields the same elements at every nesting level: tag, VR, value
/// length, and for text VRs the value (raw bytes, and the decoded text where dcmdump can convert to UTF-8; for the
/// ISO 2022 files that dcmtk's iconv cannot convert, the decoded text is checked against pydicom).
/// </summary>
public sealed partial class DcmdumpConformanceTests
{
    private sealed record Row(int Depth, uint Tag, string VR, string Length, string? Value)
    {
        public override string ToString() => $"{new string(' ', Depth * 2)}{new DicomTag(Tag)} {VR} #{Length} [{Value}]";
    }

    [GeneratedRegex(@"^(?<indent> *)\((?<g>[0-9a-f]{4}),(?<e>[0-9a-f]{4})\) (?<vr>\S\S) (?<value>.*?) *# *(?<len>u/l|\d+), *\S+ .*$")]
    private static partial Regex DcmdumpLine();

    [GeneratedRegex("&(#(?<n>[0-9]+)|amp|lt|gt|quot|apos);")]
    private static partial Regex Entity();

    [SkippableFact]
    public void Every_file_dcmdump_parses_reads_to_the_same_elements()
    {
        var dcmdump = CorpusFiles.RequireTool("dcmdump");
        var failures = new List<string>();
        var checkedFiles = 0;
        foreach (var entry in CorpusFiles.Load().Where(e => e.DcmdumpOk))
        {
            var raw = CorpusFiles.Run(dcmdump, "+L", "-q", "-Un", "+Qn", entry.Path)!.Value;
            var expected = ParseDcmdump(raw.Output);
            var file = DicomFile.Open(entry.Path);
            var actual = Rows(file, decode: false);
            Compare(entry.Name + " (raw)", expected, actual, failures);

            var utf8 = CorpusFiles.Run(dcmdump, "+L", "-q", "-Un", "+Qn", "+U8", entry.Path)!.Value;
            if (utf8.ExitCode == 0 && !utf8.Error.Contains("Cannot open character encoding", StringComparison.Ordinal))
            {
                // With +U8 dcmdump prints the length of the converted text, so only the values are compared.
                var decodedExpected = ParseDcmdump(utf8.Output, utf8: true).Where(r => r.Tag != 0x00080005).Select(r => r with { Length = "-" }).ToList();
                var decodedActual = Rows(file, decode: true).Where(r => r.Tag != 0x00080005).Select(r => r with { Length = "-" }).ToList();
                Compare(entry.Name + " (UTF-8)", decodedExpected, decodedActual, failures);
            }

            checkedFiles++;
        }

        Assert.True(checkedFiles > 60, $"only {checkedFiles} corpus files were compared");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(40)));
    }

    [GeneratedRegex(@"^ *\((?<g>[0-9a-fA-F]{4}),(?<e>[0-9a-fA-F]{4})\) .*# *(?:u/l|\d+), *(?<vm>\d+) [^#]*$")]
    private static partial Regex VmColumn();

    [SkippableFact]
    public void The_dump_VM_column_agrees_with_dcmdump_for_every_element()
    {
        var dcmdump = CorpusFiles.RequireTool("dcmdump");
        var failures = new List<string>();
        var compared = 0;
        foreach (var entry in CorpusFiles.Load().Where(e => e.DcmdumpOk))
        {
            var theirs = VmRows(Encoding.Latin1.GetString(CorpusFiles.Run(dcmdump, "+L", "-q", "-Un", "+Qn", entry.Path)!.Value.Output));
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            DicomDumper.DumpFile(entry.Path, output, new DicomDumpOptions { MaxTextLength = 0, MaxBinaryValues = 0 });
            var ours = VmRows(Encoding.UTF8.GetString(output.WrittenSpan));
            for (var i = 0; i < Math.Max(ours.Count, theirs.Count); i++)
            {
                if (i >= ours.Count || i >= theirs.Count || theirs[i] != ours[i])
                {
                    failures.Add($"{entry.Name} row {i}: dcmdump {(i < theirs.Count ? $"{new DicomTag(theirs[i].Tag)} vm {theirs[i].Vm}" : "(none)")}, " +
                        $"ours {(i < ours.Count ? $"{new DicomTag(ours[i].Tag)} vm {ours[i].Vm}" : "(none)")}");
                    break;
                }
            }

            compared += ours.Count;
        }

        Assert.True(compared > 5000, $"only {compared} elements were compared");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(40)));
    }

    private static List<(uint Tag, int Vm)> VmRows(string dump)
    {
        var rows = new List<(uint, int)>();
        foreach (var line in dump.Split('\n'))
        {
            var match = VmColumn().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var tag = uint.Parse(match.Groups["g"].Value + match.Groups["e"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (tag is not (0xFFFEE00D or 0xFFFEE0DD))
            {
                rows.Add((tag, int.Parse(match.Groups["vm"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return rows;
    }

    [SkippableFact]
    public void Iso2022_texts_decode_like_pydicom()
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : CorpusFiles.RequireTool("python3");
        const string script = """
            import sys, json, pydicom
            out = {}
            for path in sys.argv[1:]:
                ds = pydicom.dcmread(path)
                values = []
                def walk(d, depth):
                    for e in d:
                        if e.VR == 'SQ':
                            for item in e.value:
                                walk(item, depth + 1)
                        elif not e.tag.is_private and e.VR in ('PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC') and e.value not in (None, ''):
                            v = e.value
                            if e.VM > 1:
                                v = '\\'.join(str(x) for x in v)
                            values.append([depth, int(e.tag), str(v)])
                walk(ds, 0)
                out[path] = values
            print(json.dumps(out))
            """;
        var files = CorpusFiles.Load()
            .Where(e => e.Name.StartsWith("chr", StringComparison.Ordinal) && e.DcmdumpOk)
            .Select(e => e.Path)
            .ToArray();
        var result = CorpusFiles.Run(python, ["-c", script, .. files]);
        Skip.If(result is null || result.Value.ExitCode != 0, "pydicom is not available: " + result?.Error);
        using var json = System.Text.Json.JsonDocument.Parse(result!.Value.Output);
        var failures = new List<string>();
        foreach (var file in json.RootElement.EnumerateObject())
        {
            var ours = DicomFile.Open(file.Name);
            var decoded = new List<(int Depth, uint Tag, string Value)>();
            Collect(ours.Dataset, 0, decoded);
            var expected = file.Value.EnumerateArray().Select(v => (v[0].GetInt32(), v[1].GetUInt32(), v[2].GetString()!)).ToList();
            if (!expected.SequenceEqual(decoded))
            {
                failures.Add($"{Path.GetFileName(file.Name)}:\n  pydicom: {string.Join(" | ", expected)}\n  ours:    {string.Join(" | ", decoded)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static void Collect(DicomDataset dataset, int depth, List<(int, uint, string)> output)
    {
        foreach (var element in dataset)
        {
            if (element is DicomSequence sequence)
            {
                foreach (var item in sequence.Items)
                {
                    Collect(item, depth + 1, output);
                }
            }
            else if (element is DicomValueElement value && value.VR.IsCharacterSetAware() && value.Length > 0 && !element.Tag.IsPrivate)
            {
                var text = string.Join('\\', dataset.GetStrings(element.Tag));
                if (value.VR.IsSingleValued())
                {
                    text = dataset.GetString(element.Tag)!;
                }

                if (value.VR == DicomVR.PN)
                {
                    text = string.Join('\\', text.Split('\\').Select(v => v.TrimEnd('=')));
                }

                if (text.Length > 0)
                {
                    output.Add((depth, element.Tag.Value, text));
                }
            }
        }
    }

    private static void Compare(string name, List<Row> expected, List<Row> actual, List<string> failures)
    {
        var count = Math.Max(expected.Count, actual.Count);
        for (var i = 0; i < count; i++)
        {
            var e = i < expected.Count ? expected[i] : null;
            var a = i < actual.Count ? actual[i] : null;
            if (e != a && !SameButPadded(e, a))
            {
                failures.Add($"{name} row {i}: dcmdump {e?.ToString() ?? "(none)"}  ours {a?.ToString() ?? "(none)"}");
                return;
            }
        }
    }

    // dcmtk pads odd-length values of elements to even length when it loads them.
    private static bool SameButPadded(Row? e, Row? a) =>
        e is not null && a is not null && long.TryParse(a.Length, out var ours) && (ours & 1) == 1 &&
        e with { Length = (ours + 1).ToString(CultureInfo.InvariantCulture) } == a with { Length = (ours + 1).ToString(CultureInfo.InvariantCulture) } &&
        e.Length == (ours + 1).ToString(CultureInfo.InvariantCulture);

    private static List<Row> ParseDcmdump(byte[] output, bool utf8 = false)
    {
        var rows = new List<Row>();
        foreach (var line in Encoding.Latin1.GetString(output).Split('\n'))
        {
            var match = DcmdumpLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var tag = uint.Parse(match.Groups["g"].Value + match.Groups["e"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (tag is 0xFFFEE00D or 0xFFFEE0DD)
            {
                continue;
            }

            var vr = match.Groups["vr"].Value;
            var value = match.Groups["value"].Value;
            var length = match.Groups["len"].Value;
            string? text = null;
            vr = vr switch
            {
                "??" => "UN", // unknown tag in implicit VR
                "up" => "UL", // dcmtk's name for DICOMDIR offsets
                _ => vr,
            };

            if (tag == 0xFFFEE000)
            {
                length = length == "u/l" ? "u/l" : vr == "pi" ? length : "defined";
            }
            else if (vr == "SQ")
            {
                length = length == "u/l" ? "u/l" : "defined";
            }
            else if (Enum.TryParse<DicomVR>(vr, out var parsed) && parsed.IsText())
            {
                text = value == "(no value available)" ? string.Empty : Unescape(value.Length >= 2 ? value[1..^1] : value, utf8);
                text = Normalize(text, parsed);
            }

            rows.Add(new Row(match.Groups["indent"].Value.Length / 2, tag, vr, length, text));
        }

        return rows;
    }

    private static string Unescape(string value, bool utf8)
    {
        var bytes = new List<byte>();
        var last = 0;
        foreach (Match m in Entity().Matches(value))
        {
            bytes.AddRange(Encoding.Latin1.GetBytes(value[last..m.Index]));
            bytes.Add(m.Groups["n"].Success
                ? (byte)int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)
                : m.Value switch { "&amp;" => (byte)'&', "&lt;" => (byte)'<', "&gt;" => (byte)'>', "&quot;" => (byte)'"', _ => (byte)'\'' });
            last = m.Index + m.Length;
        }

        bytes.AddRange(Encoding.Latin1.GetBytes(value[last..]));
        return utf8 ? Encoding.UTF8.GetString(bytes.ToArray()) : Encoding.Latin1.GetString(bytes.ToArray());
    }

    private static string Normalize(string text, DicomVR vr)
    {
        if (vr.IsSingleValued())
        {
            return text.TrimEnd(' ', '\0');
        }

        return string.Join('\\', text.Split('\\').Select(v => v.Trim(' ', '\0')));
    }

    private static List<Row> Rows(DicomFile file, bool decode)
    {
        var rows = new List<Row>();
        foreach (var element in file.FileMetaInformation)
        {
            AddRows(file.FileMetaInformation, element, 0, decode, rows);
        }

        foreach (var element in file.Dataset)
        {
            AddRows(file.Dataset, element, 0, decode, rows);
        }

        return rows;
    }

    private static void AddRows(DicomDataset dataset, DicomElement element, int depth, bool decode, List<Row> rows)
    {
        switch (element)
        {
            case DicomSequence sequence:
                rows.Add(new Row(depth, element.Tag.Value, "SQ", sequence.HasUndefinedLength ? "u/l" : "defined", null));
                foreach (var item in sequence.Items)
                {
                    rows.Add(new Row(depth + 1, 0xFFFEE000, "na", item.HasUndefinedLength ? "u/l" : "defined", null));
                    foreach (var nested in item)
                    {
                        AddRows(item, nested, depth + 2, decode, rows);
                    }
                }

                break;
            case DicomFragmentSequence fragments:
                rows.Add(new Row(depth, element.Tag.Value, element.VR.Code(), "u/l", null));
                foreach (var fragment in fragments.Fragments)
                {
                    rows.Add(new Row(depth + 1, 0xFFFEE000, "pi", fragment.Length.ToString(CultureInfo.InvariantCulture), null));
                }

                break;
            case DicomValueElement value:
                string? text = null;
                if (value.VR.IsText())
                {
                    var bytes = value.GetBytes().Span;
                    text = decode && value.VR.IsCharacterSetAware()
                        ? dataset.CharacterSet.Decode(bytes, value.VR)
                        : Encoding.Latin1.GetString(bytes);
                    text = Normalize(text, value.VR);
                }

                rows.Add(new Row(depth, element.Tag.Value, value.VR.Code(), value.Length.ToString(CultureInfo.InvariantCulture), text));
                break;
        }
    }
}
