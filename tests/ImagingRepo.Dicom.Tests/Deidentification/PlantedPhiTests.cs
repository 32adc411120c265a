using System.Text;
using ImagingRepo.Dicom.CharacterSets;
using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Profile;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public sealed class PlantedPhiTests : IDisposable
{
    private static readonly DeidentificationKey Key = new(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    // Shifts far beyond the spread of the planted dates, so a shifted date can never equal another planted one.
    private static readonly PseudonymSettings FarShift = new() { DateShiftMinDays = -20000, DateShiftMaxDays = -15000 };

    private readonly string _root = Directory.CreateTempSubdirectory("deid-planted-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(nameof(PlantedPhi.SopUids.InDataset))]
    [InlineData(nameof(PlantedPhi.SopUids.InFileMetaOnly))]
    [InlineData(nameof(PlantedPhi.SopUids.NoInstanceUid))]
    public void Basic_profile_leaves_no_marker_anywhere_in_the_output_bytes(string sopUids)
    {
        var phi = PlantedPhi.Build(Enum.Parse<PlantedPhi.SopUids>(sopUids));
        Assert.True(phi.Plants.Count > 1000, $"planted {phi.Plants.Count}");
        Assert.Contains(phi.Plants, p => p.PrivateSchemeMeaning && p.Path.Any(s => s.Sequence == 0x0040A730));
        var (bytes, output) = Run(phi, new DeidentificationPolicy { Pseudonyms = FarShift });

        var survivors = phi.Plants.Where(p => p.ByteSearchable && Contains(bytes, p.Marker!)).Select(Describe).ToList();
        Assert.Empty(survivors);
        var utf16 = phi.Plants.Where(p => p.ByteSearchable && Contains(bytes, Encoding.Unicode.GetBytes(p.Marker!))).Select(Describe).ToList();
        Assert.Empty(utf16);
        Assert.False(Contains(bytes, PlantedPhi.PreambleMarker), "the preamble's text was copied");
        Assert.Equal(new byte[128], bytes.AsSpan(0, 128).ToArray());

        // whatever the input lacked, the output is a composite instance whose dataset and file meta agree
        var sopClass = output.Dataset.GetString(new DicomTag(0x00080016));
        var sopInstance = output.Dataset.GetString(new DicomTag(0x00080018));
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", sopClass);
        Assert.StartsWith("2.25.", sopInstance, StringComparison.Ordinal);
        Assert.Equal(sopClass, output.FileMetaInformation.GetString(new DicomTag(0x00020002)));
        Assert.Equal(sopInstance, output.FileMetaInformation.GetString(new DicomTag(0x00020003)));
    }

    public static TheoryData<string> Options => new(DeidentificationOptionNames.ShortNames.Prepend("basic"));

    [Theory]
    [MemberData(nameof(Options))]
    public void Exactly_the_attributes_the_table_keeps_survive(string optionName)
    {
        var options = DeidentificationOptionNames.TryParse(optionName, out var o) ? o : DeidentificationOptions.None;
        var phi = PlantedPhi.Build();
        var policy = new DeidentificationPolicy
        {
            Options = options,
            Pseudonyms = FarShift,
            PrivateAllowList = [new SafePrivateAttribute(PlantedPhi.SafeCreator, "0x05")],
        };
        var (bytes, output) = Run(phi, policy);

        var wrong = new List<string>();
        foreach (var plant in phi.Plants)
        {
            var expected = SurvivalRules.Survives(plant, options);
            var actual = plant.ByteSearchable ? Contains(bytes, plant.Marker!) : SurvivesInDataset(output.Dataset, plant);
            if (expected != actual)
            {
                wrong.Add($"{Describe(plant)} expected {(expected ? "kept" : "gone")}, was {(actual ? "kept" : "gone")}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        Assert.False(Contains(bytes, PlantedPhi.PreambleMarker), "the preamble's text was copied");
        var survived = phi.Plants.Count(p => SurvivalRules.Survives(p, options));
        if (options == DeidentificationOptions.None)
        {
            Assert.Equal(0, survived);
        }
        else
        {
            Assert.True(survived > 0, "an option that keeps nothing would make this test vacuous");
        }

        // the output says what was done
        var ds = output.Dataset;
        Assert.Equal("YES", ds.GetString(new DicomTag(0x00120062)));
        Assert.True(ds.TryGetSequence(new DicomTag(0x00120064), out var codes));
        Assert.Equal(DeidentificationMethodCode.For(options).Select(c => c.Value), codes.Items.Select(i => i.GetString(new DicomTag(0x00080100))));
        Assert.Equal(
            (options & DeidentificationOptions.RetainLongitudinalModifiedDates) != 0 ? "MODIFIED" : (options & DeidentificationOptions.RetainLongitudinalFullDates) != 0 ? "UNMODIFIED" : "REMOVED",
            ds.GetString(new DicomTag(0x00280303)));
    }

    [Fact]
    public void Modified_dates_move_by_one_offset_per_patient()
    {
        var phi = PlantedPhi.Build();
        var policy = new DeidentificationPolicy { Options = DeidentificationOptions.RetainLongitudinalModifiedDates, Pseudonyms = FarShift };
        var (_, output) = Run(phi, policy);
        var patient = phi.Plants.Single(p => p.Tag == 0x00100020 && p.Path.Length == 0).Marker!;
        var days = new Pseudonymizer(Key, FarShift).DateShiftDays(patient);

        var studyDate = phi.Plants.Single(p => p.Tag == 0x00080020 && p.Path.Length == 0).Marker!;
        var expected = DateOnly.ParseExact(studyDate, "yyyyMMdd").AddDays(days).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, output.Dataset.GetString(new DicomTag(0x00080020)));
        var seriesDate = phi.Plants.Single(p => p.Tag == 0x00080021 && p.Path.Length == 0).Marker!;
        Assert.Equal(
            DateOnly.ParseExact(seriesDate, "yyyyMMdd").AddDays(days).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
            output.Dataset.GetString(new DicomTag(0x00080021)));
    }

    [SkippableFact]
    public void Corpus_values_of_listed_attributes_do_not_survive_the_basic_profile()
    {
        var corpus = TestEnvironment.RequireDicomCorpus();
        var engine = new DeidentificationEngine(Key);
        var checkedValues = 0;
        var leaks = new List<string>();
        foreach (var path in Directory.GetFiles(corpus, "*.dcm").Order(StringComparer.Ordinal))
        {
            var output = Path.Combine(_root, Path.GetFileNameWithoutExtension(path));
            var result = engine.DeidentifyFile(path, output, output + "-q");
            if (result.Status is not (DeidentificationStatus.Deidentified or DeidentificationStatus.Quarantined))
            {
                continue;
            }

            var input = DicomFile.Open(path).Dataset;
            var outBytes = File.ReadAllBytes(result.OutputPath!);
            var kept = new HashSet<string>(StringComparer.Ordinal);
            var sensitive = new List<(string Value, DicomTag Tag, DicomCharacterSet Charset)>();
            Collect(input, kept, sensitive);
            foreach (var (value, tag, charset) in sensitive)
            {
                if (kept.Any(k => k.Contains(value, StringComparison.Ordinal)))
                {
                    continue; // the same text also sits in an attribute the profile keeps (e.g. "TOSHIBA" in Manufacturer)
                }

                checkedValues++;
                if (Contains(outBytes, Encoding.UTF8.GetBytes(value)) || Contains(outBytes, Encode(charset, value)))
                {
                    leaks.Add($"{Path.GetFileName(path)} {tag}: '{value}'");
                }
            }
        }

        Assert.True(checkedValues > 100, $"only {checkedValues} values checked");
        Assert.True(leaks.Count == 0, string.Join('\n', leaks));
    }

    private static void Collect(DicomDataset dataset, HashSet<string> kept, List<(string, DicomTag, DicomCharacterSet)> sensitive)
    {
        var rules = new ProfileRules(DeidentificationPolicy.Default);
        foreach (var element in dataset)
        {
            if (element is DicomSequence sequence)
            {
                foreach (var item in sequence.Items)
                {
                    Collect(item, kept, sensitive);
                }

                continue;
            }

            if (element is not DicomValueElement value || value.IsLazy || value.Length == 0 || !element.VR.IsText())
            {
                continue;
            }

            var rule = rules.RuleFor(element.Tag.Value);
            foreach (var part in dataset.DecodeString(value).Split('\\'))
            {
                var text = part.Trim(' ', '\0');
                if (!rule.Listed || rule.Kind == ElementActionKind.Keep)
                {
                    kept.Add(text);
                }
                else if (text.Length >= 6 && !text.StartsWith("1.2.840.10008.", StringComparison.Ordinal)
                         && element.VR is DicomVR.PN or DicomVR.LO or DicomVR.SH or DicomVR.UI or DicomVR.DA or DicomVR.DT or DicomVR.AE
                             or DicomVR.LT or DicomVR.ST or DicomVR.UT)
                {
                    sensitive.Add((text, element.Tag, dataset.CharacterSet));
                }
            }
        }
    }

    private (byte[] Bytes, DicomFile Output) Run(PlantedPhi phi, DeidentificationPolicy policy)
    {
        var input = Path.Combine(_root, "in-" + Guid.NewGuid().ToString("N") + ".dcm");
        phi.File.Save(input);
        var output = Path.Combine(_root, "out-" + Guid.NewGuid().ToString("N"));
        var result = new DeidentificationEngine(Key, policy with { BurnedIn = new BurnedInPolicy { Allow = true } })
            .DeidentifyFile(input, output);
        Assert.True(result.Status == DeidentificationStatus.Deidentified, result.Reason);
        return (File.ReadAllBytes(result.OutputPath!), DicomFile.Open(result.OutputPath!));
    }

    private static bool SurvivesInDataset(DicomDataset dataset, PlantedPhi.Plant plant)
    {
        foreach (var step in plant.Path)
        {
            if (!dataset.TryGetSequence(new DicomTag(step.Sequence), out var sequence) || sequence.Items.Count <= step.Item)
            {
                return false;
            }

            dataset = sequence.Items[step.Item];
        }

        if (dataset[new DicomTag(plant.Tag)] is not DicomValueElement value)
        {
            return false;
        }

        return plant.VR == DicomVR.AS
            ? dataset.DecodeString(value).Trim() == plant.Marker
            : value.GetBytes().Span.SequenceEqual(plant.Bytes);
    }

    private static byte[] Encode(DicomCharacterSet charset, string value)
    {
        try
        {
            return charset.Encode(value);
        }
        catch (DicomException)
        {
            return Encoding.UTF8.GetBytes(value); // the codec cannot re-encode this text; UTF-8 was searched already
        }
    }

    private static bool Contains(byte[] haystack, string marker) => Contains(haystack, Encoding.ASCII.GetBytes(marker));

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static string Describe(PlantedPhi.Plant p) =>
        string.Join("/", p.Path.Select(s => $"{new DicomTag(s.Sequence)}[{s.Item}]").Append(new DicomTag(p.Tag).ToString()))
        + $" {p.VR} {p.Row?.Name} '{p.Marker}'";
}
