namespace ImagingRepo.Dicom.Tests;

/// <summary>Deep comparison of datasets: tags, VRs, values (modulo the padding byte a writer adds to odd lengths), items and fragments.</summary>
internal static class DatasetAssert
{
    public static List<string> Differences(DicomDataset expected, DicomDataset actual, bool compareVR = true, string path = "")
    {
        var differences = new List<string>();
        Compare(expected, actual, compareVR, path, differences);
        return differences;
    }

    private static void Compare(DicomDataset expected, DicomDataset actual, bool compareVR, string path, List<string> differences)
    {
        var e = expected.ToList();
        var a = actual.ToList();
        if (!e.Select(x => x.Tag).SequenceEqual(a.Select(x => x.Tag)))
        {
            var missing = e.Select(x => x.Tag).Except(a.Select(x => x.Tag));
            var extra = a.Select(x => x.Tag).Except(e.Select(x => x.Tag));
            differences.Add($"{path}: tags differ; missing {string.Join(',', missing)}, extra {string.Join(',', extra)}");
            return;
        }

        for (var i = 0; i < e.Count; i++)
        {
            var where = $"{path}/{e[i].Tag}";
            switch (e[i], a[i])
            {
                case (DicomSequence s1, DicomSequence s2):
                    if (s1.Items.Count != s2.Items.Count)
                    {
                        differences.Add($"{where}: {s1.Items.Count} items, read back {s2.Items.Count}");
                        break;
                    }

                    for (var k = 0; k < s1.Items.Count; k++)
                    {
                        Compare(s1.Items[k], s2.Items[k], compareVR, $"{where}[{k}]", differences);
                    }

                    break;
                case (DicomFragmentSequence f1, DicomFragmentSequence f2):
                    if (f1.Fragments.Count != f2.Fragments.Count)
                    {
                        differences.Add($"{where}: {f1.Fragments.Count} fragments, read back {f2.Fragments.Count}");
                        break;
                    }

                    for (var k = 0; k < f1.Fragments.Count; k++)
                    {
                        if (!SameBytes(f1.Fragments[k].GetBytes().Span, f2.Fragments[k].GetBytes().Span))
                        {
                            differences.Add($"{where} fragment {k}: bytes differ");
                        }
                    }

                    break;
                case (DicomValueElement v1, DicomValueElement v2):
                    if (compareVR && v1.VR != v2.VR)
                    {
                        differences.Add($"{where}: VR {v1.VR}, read back {v2.VR}");
                    }

                    if (!SameBytes(v1.GetBytes().Span, v2.GetBytes().Span))
                    {
                        differences.Add($"{where}: value differs ({v1.Length} bytes, read back {v2.Length})");
                    }

                    break;
                default:
                    differences.Add($"{where}: {e[i].GetType().Name} read back as {a[i].GetType().Name}");
                    break;
            }
        }
    }

    private static bool SameBytes(ReadOnlySpan<byte> original, ReadOnlySpan<byte> written) =>
        original.SequenceEqual(written) ||
        ((original.Length & 1) == 1 && written.Length == original.Length + 1 && written[..original.Length].SequenceEqual(original));
}
