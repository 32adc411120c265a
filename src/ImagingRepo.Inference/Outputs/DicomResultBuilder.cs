using System.Globalization;
using System.Reflection;
using ImagingRepo.Dicom;
using ImagingRepo.Dicom.DataDictionary;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Outputs;

/// <summary>
/// The modules every result object shares: patient, study and frame of reference copied from the source series;
/// equipment and contributing equipment describing the model (IHE AI Results); SOP common; coded entries.
/// </summary>
internal static class DicomResultBuilder
{
    /// <summary>Processing Equipment, the Purpose of Reference of a contributing model.</summary>
    public static readonly CodedConcept ProcessingEquipment = new("109102", "DCM", "Processing Equipment");

    /// <summary>Attributes copied from the source as they are (patient, study, de-identification and clinical trial).</summary>
    private static readonly DicomTag[] Copied =
    [
        DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.PatientAge,
        DicomTags.PatientIdentityRemoved, DicomTags.DeidentificationMethod, DicomTags.DeidentificationMethodCodeSequence,
        DicomTags.ClinicalTrialSponsorName, DicomTags.ClinicalTrialProtocolID, DicomTags.ClinicalTrialProtocolName,
        DicomTags.ClinicalTrialSiteID, DicomTags.ClinicalTrialSiteName, DicomTags.ClinicalTrialSubjectID, DicomTags.ClinicalTrialSubjectReadingID,
        DicomTags.StudyInstanceUID, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.ReferringPhysicianName, DicomTags.StudyID,
        DicomTags.AccessionNumber, DicomTags.StudyDescription, DicomTags.ClinicalTrialTimePointID,
    ];

    /// <summary>Type 2 attributes of the patient and study modules: written empty when the source lacks them.</summary>
    private static readonly DicomTag[] RequiredEmpty =
    [
        DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex,
        DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.ReferringPhysicianName, DicomTags.StudyID, DicomTags.AccessionNumber,
    ];

    /// <summary>This library's version, for Software Versions.</summary>
    public static string LibraryVersion { get; } =
        typeof(DicomResultBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    /// <summary>A dataset with the source's patient, study and frame of reference, in the source's character set (UTF-8 where it had none).</summary>
    public static DicomDataset Start(SourceSeries source, bool frameOfReference = true)
    {
        var dataset = new DicomDataset();
        if (source.Header[DicomTags.SpecificCharacterSet] is DicomValueElement charset)
        {
            dataset.Add(charset);
        }
        else
        {
            // the source is plain ASCII then, which UTF-8 leaves as it is, and model names may not be
            dataset.SetString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        }

        foreach (var tag in Copied)
        {
            switch (source.Header[tag])
            {
                case DicomSequence sequence:
                    dataset.Add(new DicomSequence(tag, sequence.Items.Select(item => item.Clone())));
                    break;
                case DicomValueElement element:
                    dataset.Add(element);
                    break;
            }
        }

        foreach (var tag in RequiredEmpty)
        {
            if (!dataset.Contains(tag))
            {
                dataset.Add(new DicomValueElement(tag, DicomDictionary.GetVR(tag), ReadOnlyMemory<byte>.Empty));
            }
        }

        if (frameOfReference && source.FrameOfReferenceUid is { } frameOfReferenceUid)
        {
            dataset.SetString(DicomTags.FrameOfReferenceUID, DicomVR.UI, frameOfReferenceUid);
            dataset.SetString(DicomTags.PositionReferenceIndicator, DicomVR.LO, source.Header.GetString(DicomTags.PositionReferenceIndicator) ?? string.Empty);
        }

        return dataset;
    }

    /// <summary>SOP common, series and equipment: the model is the equipment that made the result, and contributes to it.</summary>
    public static void Identify(DicomDataset dataset, ResultContext context, string sopClassUid, string sopInstanceUid, string seriesInstanceUid, string modality, string seriesDescription)
    {
        var model = context.Model;
        var date = Date(context.CreatedAt);
        var time = Time(context.CreatedAt);
        dataset.SetString(DicomTags.SOPClassUID, DicomVR.UI, sopClassUid);
        dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, sopInstanceUid);
        dataset.SetString(DicomTags.InstanceCreationDate, DicomVR.DA, date);
        dataset.SetString(DicomTags.InstanceCreationTime, DicomVR.TM, time);
        dataset.SetString(DicomTags.Modality, DicomVR.CS, modality);
        dataset.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesInstanceUid);
        dataset.SetString(DicomTags.SeriesNumber, DicomVR.IS, context.SeriesNumber.ToString(CultureInfo.InvariantCulture));
        dataset.SetString(DicomTags.SeriesDate, DicomVR.DA, date);
        dataset.SetString(DicomTags.SeriesTime, DicomVR.TM, time);
        dataset.SetString(DicomTags.SeriesDescription, DicomVR.LO, Truncate(seriesDescription, 64));
        dataset.SetString(DicomTags.InstanceNumber, DicomVR.IS, "1");
        dataset.SetString(DicomTags.ContentDate, DicomVR.DA, date);
        dataset.SetString(DicomTags.ContentTime, DicomVR.TM, time);

        dataset.SetString(DicomTags.Manufacturer, DicomVR.LO, Truncate(model.Manufacturer, 64));
        dataset.SetString(DicomTags.ManufacturerModelName, DicomVR.LO, Truncate(model.Name, 64));
        dataset.SetString(DicomTags.DeviceSerialNumber, DicomVR.LO, model.Sha256[..16]);
        dataset.SetString(DicomTags.SoftwareVersions, DicomVR.LO, Truncate(model.Version, 64));

        var modelItem = new DicomDataset();
        modelItem.SetString(DicomTags.Manufacturer, DicomVR.LO, Truncate(model.Manufacturer, 64));
        modelItem.SetString(DicomTags.ManufacturerModelName, DicomVR.LO, Truncate(model.Name, 64));
        modelItem.SetString(DicomTags.SoftwareVersions, DicomVR.LO, Truncate(model.Version, 64));
        modelItem.SetString(DicomTags.DeviceSerialNumber, DicomVR.LO, model.Sha256[..16]);
        modelItem.Add(new DicomSequence(DicomTags.PurposeOfReferenceCodeSequence, Code(ProcessingEquipment)));
        modelItem.SetString(DicomTags.ContributionDateTime, DicomVR.DT, DateTime(context.CreatedAt));
        modelItem.SetString(DicomTags.ContributionDescription, DicomVR.ST, $"ONNX model sha256:{model.Sha256}");

        var runtimeItem = new DicomDataset();
        runtimeItem.SetString(DicomTags.Manufacturer, DicomVR.LO, "ImagingRepo");
        runtimeItem.SetString(DicomTags.ManufacturerModelName, DicomVR.LO, "ImagingRepo.Inference");
        runtimeItem.SetString(DicomTags.SoftwareVersions, DicomVR.LO, $"{LibraryVersion}\\ONNX Runtime {context.Provider.OnnxRuntimeVersion}");
        runtimeItem.Add(new DicomSequence(DicomTags.PurposeOfReferenceCodeSequence, Code(ProcessingEquipment)));
        runtimeItem.SetString(DicomTags.ContributionDateTime, DicomVR.DT, DateTime(context.CreatedAt));
        runtimeItem.SetString(DicomTags.ContributionDescription, DicomVR.ST, Truncate($"ran the model on {context.Provider.Provider}", 1024));
        dataset.Add(new DicomSequence(DicomTags.ContributingEquipmentSequence, modelItem, runtimeItem));
    }

    /// <summary>A code sequence item; a code value longer than 16 characters goes to Long Code Value.</summary>
    public static DicomDataset Code(CodedConcept concept)
    {
        var item = new DicomDataset();
        if (concept.Code.Length > 16)
        {
            item.SetString(DicomTags.LongCodeValue, DicomVR.UC, concept.Code);
        }
        else
        {
            item.SetString(DicomTags.CodeValue, DicomVR.SH, concept.Code);
        }

        item.SetString(DicomTags.CodingSchemeDesignator, DicomVR.SH, concept.Scheme);
        item.SetString(DicomTags.CodeMeaning, DicomVR.LO, Truncate(concept.Meaning, 64));
        return item;
    }

    /// <summary>An item naming one instance by class and instance UID.</summary>
    public static DicomDataset InstanceReference(string sopClassUid, string sopInstanceUid)
    {
        var item = new DicomDataset();
        item.SetString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, sopClassUid);
        item.SetString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        return item;
    }

    /// <summary>Common Instance Reference: every source instance under its series (all in the result's study).</summary>
    public static DicomSequence ReferencedSeries(SourceSeries source)
    {
        var series = new DicomDataset();
        series.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, source.SeriesInstanceUid);
        series.Add(new DicomSequence(DicomTags.ReferencedInstanceSequence, source.Slices.Select(s => InstanceReference(s.SopClassUid, s.SopInstanceUid))));
        return new DicomSequence(DicomTags.ReferencedSeriesSequence, series);
    }

    public static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    public static string Date(DateTimeOffset at) => at.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.ToString("HHmmss.ffffff", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset at) => at.ToString("yyyyMMddHHmmss.ffffff", CultureInfo.InvariantCulture) + at.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", string.Empty, StringComparison.Ordinal);
}
