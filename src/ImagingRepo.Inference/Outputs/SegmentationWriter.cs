using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.Intrinsics;
using ImagingRepo.Dicom;
using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Outputs;

/// <summary>
/// Writes a label map on the source grid as a DICOM Segmentation that viewers place exactly on its source: every frame
/// carries the Image Position (Patient) of the source slice it lies on (as the source wrote it), the shared orientation
/// and pixel spacing, and a derivation reference to that slice; the source series is listed in Referenced Series; each
/// segment carries its coded category and type (CID 7150/7151, from the model's labels) and the model's algorithm
/// identification.
/// </summary>
public static class SegmentationWriter
{
    /// <summary>Segmentation Storage.</summary>
    public const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";

    /// <summary>Label Map Segmentation Storage.</summary>
    public const string LabelMapSegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.7";

    /// <summary>The default Segmented Property Category of a label without one.</summary>
    public static readonly CodedConcept DefaultCategory = new("91723000", "SCT", "Anatomical Structure");

    /// <summary>The default Segmented Property Type of a label without one.</summary>
    public static readonly CodedConcept DefaultType = new("85756007", "SCT", "Tissue");

    /// <summary>Algorithm family of an ONNX model (CID 7162).</summary>
    public static readonly CodedConcept ArtificialIntelligence = new("123110", "DCM", "Artificial Intelligence");

    private static readonly CodedConcept SegmentationDerivation = new("113076", "DCM", "Segmentation");
    private static readonly CodedConcept SourceImagePurpose = new("121322", "DCM", "Source image for image processing operation");

    /// <summary>Builds the Segmentation.</summary>
    /// <param name="source">The source series the mask lies on.</param>
    /// <param name="mask">The labels on the source grid.</param>
    /// <param name="context">Model, provider and time.</param>
    /// <param name="options">Type and frame options; defaults when null.</param>
    /// <returns>The file, ready to save.</returns>
    /// <exception cref="ArgumentException">The mask's grid is not the source's.</exception>
    public static DicomFile Build(SourceSeries source, SegmentationMask mask, ResultContext context, SegmentationWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(context);
        options ??= new SegmentationWriteOptions();
        if (mask.Columns != source.Columns || mask.Rows != source.Rows || mask.Slices != source.Slices.Count)
        {
            throw new ArgumentException($"the mask is {mask.Columns}x{mask.Rows}x{mask.Slices} but the source is {source.Columns}x{source.Rows}x{source.Slices.Count}", nameof(mask));
        }

        var segments = Segments(mask, context.Model);
        var binary = options.Type == SegmentationType.Binary;
        var frames = binary ? BinaryFrames(mask, segments, options.OmitEmptyFrames) : [.. Enumerable.Range(0, mask.Slices).Select(k => new Frame(0, k))];
        if (binary)
        {
            // a segment without frames is left out, and the rest keep numbers 1..n
            var used = frames.Select(f => f.Segment).ToHashSet();
            segments = [.. segments.Where(s => used.Contains(s.Number))];
        }

        var kind = binary ? "seg-binary" : "seg-labelmap";
        var seriesUid = ResultUids.Derive(kind, "series", context.Model.Sha256, source.SeriesInstanceUid);
        var instanceUid = ResultUids.Derive(kind, "instance", context.Model.Sha256, source.SeriesInstanceUid);
        var dataset = DicomResultBuilder.Start(source);
        DicomResultBuilder.Identify(dataset, context, binary ? SegmentationStorage : LabelMapSegmentationStorage, instanceUid, seriesUid, "SEG", $"{context.Model.Name} {context.Model.Version} segmentation");

        dataset.SetString(DicomTags.ImageType, DicomVR.CS, "DERIVED\\PRIMARY");
        dataset.SetString(DicomTags.ContentLabel, DicomVR.CS, options.ContentLabel);
        dataset.SetString(DicomTags.ContentDescription, DicomVR.LO, DicomResultBuilder.Truncate($"{context.Model.Name} {context.Model.Version}", 64));
        dataset.SetString(DicomTags.ContentCreatorName, DicomVR.PN, string.Empty);
        dataset.SetValues<ushort>(DicomTags.SamplesPerPixel, DicomVR.US, 1);
        dataset.SetString(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        dataset.SetValues<ushort>(DicomTags.Rows, DicomVR.US, (ushort)source.Rows);
        dataset.SetValues<ushort>(DicomTags.Columns, DicomVR.US, (ushort)source.Columns);
        dataset.SetValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, (ushort)(binary ? 1 : 8));
        dataset.SetValues<ushort>(DicomTags.BitsStored, DicomVR.US, (ushort)(binary ? 1 : 8));
        dataset.SetValues<ushort>(DicomTags.HighBit, DicomVR.US, (ushort)(binary ? 0 : 7));
        dataset.SetValues<ushort>(DicomTags.PixelRepresentation, DicomVR.US, 0);
        dataset.SetString(DicomTags.LossyImageCompression, DicomVR.CS, "00");
        dataset.SetString(DicomTags.SegmentationType, DicomVR.CS, binary ? "BINARY" : "LABELMAP");
        dataset.Add(new DicomSequence(DicomTags.SegmentSequence, segments.Select(s => SegmentItem(s, context.Model))));

        var organization = ResultUids.Derive(kind, "dimensions", context.Model.Sha256, source.SeriesInstanceUid);
        var organizationItem = new DicomDataset();
        organizationItem.SetString(DicomTags.DimensionOrganizationUID, DicomVR.UI, organization);
        dataset.Add(new DicomSequence(DicomTags.DimensionOrganizationSequence, organizationItem));
        var dimensions = new List<DicomDataset>();
        if (binary)
        {
            dimensions.Add(Dimension(organization, DicomTags.ReferencedSegmentNumber, DicomTags.SegmentIdentificationSequence, "ReferencedSegmentNumber"));
        }

        dimensions.Add(Dimension(organization, DicomTags.ImagePositionPatient, DicomTags.PlanePositionSequence, "ImagePositionPatient"));
        dataset.Add(new DicomSequence(DicomTags.DimensionIndexSequence, dimensions));

        dataset.SetString(DicomTags.NumberOfFrames, DicomVR.IS, frames.Count.ToString(CultureInfo.InvariantCulture));
        dataset.Add(new DicomSequence(DicomTags.SharedFunctionalGroupsSequence, SharedGroups(source)));
        dataset.Add(new DicomSequence(DicomTags.PerFrameFunctionalGroupsSequence, frames.Select(f => FrameGroups(source, f, binary))));
        dataset.Add(DicomResultBuilder.ReferencedSeries(source));

        var pixels = binary ? PackBinary(mask, frames, segments) : LabelFrames(mask, segments);
        dataset.Add(new DicomValueElement(DicomTags.PixelData, DicomVR.OB, pixels));
        return new DicomFile(dataset);
    }

    /// <summary>Builds the Segmentation and saves it atomically (temporary file, then rename) into a folder.</summary>
    /// <param name="folder">The output folder (created when missing).</param>
    /// <param name="source">The source series.</param>
    /// <param name="mask">The labels.</param>
    /// <param name="context">Model, provider and time.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <returns>The file written and its SOP Instance UID.</returns>
    public static (string Path, string SopInstanceUid) Write(string folder, SourceSeries source, SegmentationMask mask, ResultContext context, SegmentationWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var file = Build(source, mask, context, options);
        var uid = file.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"SEG_{uid}.dcm");
        file.Save(path);
        InferenceTelemetry.OutputsWritten.Add(1, new KeyValuePair<string, object?>("kind", "seg"));
        return (path, uid);
    }

    /// <summary>A segment of the output: its number (1..n), the label value it comes from, and its description.</summary>
    internal sealed record Segment(int Number, byte LabelValue, ModelLabel Label);

    private readonly record struct Frame(int Segment, int Slice);

    /// <summary>Segments numbered 1..n in label-value order: every label the model declares, and any value found that it does not.</summary>
    internal static List<Segment> Segments(SegmentationMask mask, ModelDescription model)
    {
        var present = PresentValues(mask.Labels);

        var values = new SortedSet<int>(model.Labels.Where(l => l.Value is > 0 and <= 255).Select(l => l.Value));
        for (var v = 1; v < 256; v++)
        {
            if (present[v])
            {
                values.Add(v);
            }
        }

        var segments = new List<Segment>();
        foreach (var value in values)
        {
            var label = model.FindLabel(value) ?? new ModelLabel { Value = value, Name = $"Label {value}" };
            segments.Add(new Segment(segments.Count + 1, (byte)value, label));
        }

        if (segments.Count == 0)
        {
            segments.Add(new Segment(1, 1, new ModelLabel { Value = 1, Name = "Label 1" }));
        }

        return segments;
    }

    private static List<Frame> BinaryFrames(SegmentationMask mask, List<Segment> segments, bool omitEmpty)
    {
        var frames = new List<Frame>();
        foreach (var segment in segments)
        {
            for (var k = 0; k < mask.Slices; k++)
            {
                if (!omitEmpty || mask.Slice(k).Contains(segment.LabelValue))
                {
                    frames.Add(new Frame(segment.Number, k));
                }
            }
        }

        if (frames.Count == 0)
        {
            frames.AddRange(Enumerable.Range(0, mask.Slices).Select(k => new Frame(segments[0].Number, k)));
        }

        return frames;
    }

    private static DicomDataset SegmentItem(Segment segment, ModelDescription model)
    {
        var item = new DicomDataset();
        item.SetValues<ushort>(DicomTags.SegmentNumber, DicomVR.US, (ushort)segment.Number);
        item.SetString(DicomTags.SegmentLabel, DicomVR.LO, DicomResultBuilder.Truncate(segment.Label.Name, 64));
        item.SetString(DicomTags.SegmentDescription, DicomVR.ST, $"label value {segment.LabelValue} of {model.Name}");
        item.SetString(DicomTags.SegmentAlgorithmType, DicomVR.CS, "AUTOMATIC");
        item.SetString(DicomTags.SegmentAlgorithmName, DicomVR.LO, DicomResultBuilder.Truncate(model.Name, 64));
        var algorithm = new DicomDataset();
        algorithm.Add(new DicomSequence(DicomTags.AlgorithmFamilyCodeSequence, DicomResultBuilder.Code(ArtificialIntelligence)));
        algorithm.SetString(DicomTags.AlgorithmName, DicomVR.LO, DicomResultBuilder.Truncate(model.Name, 64));
        algorithm.SetString(DicomTags.AlgorithmVersion, DicomVR.LO, DicomResultBuilder.Truncate(model.Version, 64));
        algorithm.SetString(DicomTags.AlgorithmSource, DicomVR.LO, DicomResultBuilder.Truncate(model.Manufacturer, 64));
        item.Add(new DicomSequence(DicomTags.SegmentationAlgorithmIdentificationSequence, algorithm));
        item.Add(new DicomSequence(DicomTags.SegmentedPropertyCategoryCodeSequence, DicomResultBuilder.Code(segment.Label.Category ?? DefaultCategory)));
        item.Add(new DicomSequence(DicomTags.SegmentedPropertyTypeCodeSequence, DicomResultBuilder.Code(segment.Label.Type ?? DefaultType)));
        item.SetValues<ushort>(DicomTags.RecommendedDisplayCIELabValue, DicomVR.US, SegmentColors.ToDicomLab(segment.Label.Color is { Count: 3 } color ? color : SegmentColors.Default(segment.Number)));
        return item;
    }

    private static DicomDataset Dimension(string organization, DicomTag pointer, DicomTag group, string label)
    {
        var item = new DicomDataset();
        item.SetString(DicomTags.DimensionOrganizationUID, DicomVR.UI, organization);
        item.SetValues<ushort>(DicomTags.DimensionIndexPointer, DicomVR.AT, pointer.Group, pointer.Element);
        item.SetValues<ushort>(DicomTags.FunctionalGroupPointer, DicomVR.AT, group.Group, group.Element);
        item.SetString(DicomTags.DimensionDescriptionLabel, DicomVR.LO, label);
        return item;
    }

    private static DicomDataset SharedGroups(SourceSeries source)
    {
        var orientation = new DicomDataset();
        orientation.SetString(DicomTags.ImageOrientationPatient, DicomVR.DS, source.OrientationText);
        var measures = new DicomDataset();
        measures.SetString(DicomTags.PixelSpacing, DicomVR.DS, source.PixelSpacingText);
        measures.SetString(DicomTags.SliceThickness, DicomVR.DS, Vector3D.Ds(source.SliceThickness ?? source.SliceSpacing));
        measures.SetString(DicomTags.SpacingBetweenSlices, DicomVR.DS, Vector3D.Ds(source.SliceSpacing));
        var shared = new DicomDataset();
        shared.Add(new DicomSequence(DicomTags.PixelMeasuresSequence, measures));
        shared.Add(new DicomSequence(DicomTags.PlaneOrientationSequence, orientation));
        return shared;
    }

    private static DicomDataset FrameGroups(SourceSeries source, Frame frame, bool binary)
    {
        var slice = source.Slices[frame.Slice];
        var sourceImage = DicomResultBuilder.InstanceReference(slice.SopClassUid, slice.SopInstanceUid);
        sourceImage.Add(new DicomSequence(DicomTags.PurposeOfReferenceCodeSequence, DicomResultBuilder.Code(SourceImagePurpose)));
        var derivation = new DicomDataset();
        derivation.Add(new DicomSequence(DicomTags.DerivationCodeSequence, DicomResultBuilder.Code(SegmentationDerivation)));
        derivation.Add(new DicomSequence(DicomTags.SourceImageSequence, sourceImage));

        var content = new DicomDataset();
        if (binary)
        {
            content.SetValues<uint>(DicomTags.DimensionIndexValues, DicomVR.UL, (uint)frame.Segment, (uint)(frame.Slice + 1));
        }
        else
        {
            content.SetValues<uint>(DicomTags.DimensionIndexValues, DicomVR.UL, (uint)(frame.Slice + 1));
        }

        var position = new DicomDataset();
        position.SetString(DicomTags.ImagePositionPatient, DicomVR.DS, slice.PositionText);

        var groups = new DicomDataset();
        groups.Add(new DicomSequence(DicomTags.DerivationImageSequence, derivation));
        groups.Add(new DicomSequence(DicomTags.FrameContentSequence, content));
        groups.Add(new DicomSequence(DicomTags.PlanePositionSequence, position));
        if (binary)
        {
            var identification = new DicomDataset();
            identification.SetValues<ushort>(DicomTags.ReferencedSegmentNumber, DicomVR.US, (ushort)frame.Segment);
            groups.Add(new DicomSequence(DicomTags.SegmentIdentificationSequence, identification));
        }

        return groups;
    }

    /// <summary>1-bit frames packed as one bit stream, first pixel in the least significant bit (PS3.5 8.1.1), padded to even length.</summary>
    /// <summary>
    /// Which byte values occur: a vectorised search for any value not yet seen, from where the last new one was found,
    /// so a mask of a few labels costs a few passes of memory bandwidth rather than a lookup per voxel.
    /// </summary>
    private static bool[] PresentValues(ReadOnlySpan<byte> labels)
    {
        var present = new bool[256];
        var seen = new List<byte>();
        var rest = labels;
        while (!rest.IsEmpty)
        {
            var next = seen.Count == 0 ? 0 : rest.IndexOfAnyExcept(SearchValues.Create(seen.ToArray()));
            if (next < 0)
            {
                break;
            }

            seen.Add(rest[next]);
            present[rest[next]] = true;
            rest = rest[next..];
        }

        return present;
    }

    private static byte[] PackBinary(SegmentationMask mask, List<Frame> frames, List<Segment> segments)
    {
        var labelOfSegment = new byte[segments.Count + 1];
        foreach (var segment in segments)
        {
            labelOfSegment[segment.Number] = segment.LabelValue;
        }

        var totalBits = (long)mask.SliceLength * frames.Count;
        var bytes = new byte[((totalBits + 15) / 16) * 2];
        long bit = 0;
        foreach (var frame in frames)
        {
            var labels = mask.Slice(frame.Slice);
            var wanted = labelOfSegment[frame.Segment];
            var i = 0;
            if ((bit & 7) == 0 && Vector256.IsHardwareAccelerated)
            {
                // 32 voxels to 32 bits at a time: the comparison's sign bits, first voxel in the lowest bit as PS3.5 packs them
                var target = Vector256.Create(wanted);
                for (; i <= labels.Length - 32; i += 32, bit += 32)
                {
                    var bits = Vector256.Equals(Vector256.Create(labels.Slice(i, 32)), target).ExtractMostSignificantBits();
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)(bit >> 3), 4), bits);
                }
            }

            for (; i < labels.Length; i++, bit++)
            {
                if (labels[i] == wanted)
                {
                    bytes[bit >> 3] |= (byte)(1 << (int)(bit & 7));
                }
            }
        }

        return bytes;
    }

    private static byte[] LabelFrames(SegmentationMask mask, List<Segment> segments)
    {
        var map = new byte[256];
        foreach (var segment in segments)
        {
            map[segment.LabelValue] = (byte)segment.Number;
        }

        var bytes = new byte[(mask.Labels.Length + 1) & ~1];
        for (var i = 0; i < mask.Labels.Length; i++)
        {
            bytes[i] = map[mask.Labels[i]];
        }

        return bytes;
    }
}
