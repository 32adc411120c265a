using ImagingRepo.Dicom.DataDictionary;
using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Profile;

namespace ImagingRepo.Dicom.Tests.Deidentification;

/// <summary>
/// A planted-PHI corpus of valid instances of several common IODs (CT, MR, PET, Secondary Capture, Comprehensive SR,
/// Segmentation as an enhanced multi-frame IOD with Enhanced General Equipment, RT Plan), each carrying a value in
/// every attribute with a composite action in PS3.15 Table E.1-1 and in the Clinical Trial Subject, Study and Series
/// modules, so that the composite actions meet every Type: 1 (Segmentation's Device Serial Number, SR's and
/// Segmentation's Content Date), 1C (MR's Referenced Performed Procedure Step Sequence, Ethics Committee Name), 2
/// (Patient ID, Contrast/Bolus Agent, PET's Acquisition Date, RT Plan Date), 2C (Content Date of General Image,
/// Reviewer Name), 3 (most) and not in the IOD (the attributes of other IODs). Sequences get items valid for their
/// macros. Before de-identification dciodvfy reports no error on any of them.
/// </summary>
internal static class IodPlantedPhi
{
    public const string Ct = "1.2.840.10008.5.1.4.1.1.2";
    public const string Mr = "1.2.840.10008.5.1.4.1.1.4";
    public const string Pet = "1.2.840.10008.5.1.4.1.1.128";
    public const string SecondaryCapture = "1.2.840.10008.5.1.4.1.1.7";
    public const string ComprehensiveSr = "1.2.840.10008.5.1.4.1.1.88.33";
    public const string Segmentation = "1.2.840.10008.5.1.4.1.1.66.4";
    public const string RtPlan = "1.2.840.10008.5.1.4.1.1.481.5";

    /// <summary>The SOP classes the corpus holds, one instance each.</summary>
    public static IReadOnlyList<string> SopClasses { get; } = [Ct, Mr, Pet, SecondaryCapture, ComprehensiveSr, Segmentation, RtPlan];

    /// <summary>Writes one instance per SOP class into <paramref name="folder"/> and returns the paths.</summary>
    public static string[] Write(string folder)
    {
        Directory.CreateDirectory(folder);
        return [.. SopClasses.Select((sopClass, i) =>
        {
            var dataset = Build(sopClass, i + 1);
            var file = new DicomFile(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
            file.FileMetaInformation.SetString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
            file.FileMetaInformation.SetString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, dataset.GetString(DicomTags.SOPInstanceUID)!);
            var path = Path.Combine(folder, $"iod-{i + 1}.dcm");
            file.Save(path);
            return path;
        })];
    }

    /// <summary>One valid instance of <paramref name="sopClass"/> with every planted attribute.</summary>
    public static DicomDataset Build(string sopClass, int number)
    {
        var d = new DicomDataset();
        Set(d, "SpecificCharacterSet", "ISO_IR 100");
        Set(d, "SOPClassUID", sopClass);
        Set(d, "SOPInstanceUID", $"1.2.826.0.1.3680043.2.1125.9.{number}");
        Set(d, "StudyDate", "20240105");
        Set(d, "StudyTime", "101500");
        Set(d, "AccessionNumber", "PHI-ACC");
        Set(d, "ReferringPhysicianName", "PHI^REFERRER");
        Set(d, "PatientName", "PHI^PATIENT");
        Set(d, "PatientID", "PHI-PID");
        Set(d, "PatientBirthDate", "19700101");
        Set(d, "PatientSex", "F");
        Set(d, "StudyInstanceUID", "1.2.826.0.1.3680043.2.1125.9");
        Set(d, "SeriesInstanceUID", $"1.2.826.0.1.3680043.2.1125.9.{number}.1");
        Set(d, "StudyID", "PHI-STUDY");
        Set(d, "SeriesNumber", "1");
        Set(d, "InstanceNumber", "1");
        Set(d, "Manufacturer", "ACME");
        switch (sopClass)
        {
            case Ct:
                Modality(d, "CT");
                Geometry(d);
                Set(d, "PatientPosition", "HFS");
                Set(d, "Laterality", "");
                Set(d, "ImageType", @"ORIGINAL\PRIMARY\AXIAL");
                Set(d, "KVP", "120");
                Set(d, "AcquisitionNumber", "1");
                Set(d, "RescaleIntercept", "0");
                Set(d, "RescaleSlope", "1");
                Set(d, "PatientOrientation", "");
                Pixels(d, 12);
                break;
            case Mr:
                Modality(d, "MR");
                Geometry(d);
                Set(d, "PatientPosition", "HFS");
                Set(d, "Laterality", "");
                Set(d, "ImageType", @"ORIGINAL\PRIMARY\OTHER");
                Set(d, "ScanningSequence", "SE");
                Set(d, "SequenceVariant", "NONE");
                Set(d, "ScanOptions", "");
                Set(d, "MRAcquisitionType", "2D");
                Set(d, "RepetitionTime", "500");
                Set(d, "EchoTime", "20");
                Set(d, "EchoTrainLength", "1");
                Set(d, "AcquisitionNumber", "1");
                Set(d, "PatientOrientation", "");
                Pixels(d, 12);
                break;
            case Pet:
                Modality(d, "PT");
                Geometry(d);
                Set(d, "Laterality", "");
                Set(d, "SeriesDate", "20240105");
                Set(d, "SeriesTime", "101500");
                Set(d, "Units", "BQML");
                Set(d, "CountsSource", "EMISSION");
                Set(d, "SeriesType", @"STATIC\IMAGE");
                Set(d, "CorrectedImage", @"DECY\ATTN");
                Set(d, "DecayCorrection", "START");
                Set(d, "CollimatorType", "NONE");
                Set(d, "RandomsCorrectionMethod", "");
                d.SetValues<ushort>(Tag("NumberOfSlices"), DicomVR.US, 1);
                Set(d, "ImageType", @"ORIGINAL\PRIMARY");
                Set(d, "RescaleIntercept", "0");
                Set(d, "RescaleSlope", "1");
                Set(d, "FrameReferenceTime", "0");
                d.SetValues<ushort>(Tag("ImageIndex"), DicomVR.US, 1);
                Set(d, "AcquisitionDate", "20240105");
                Set(d, "AcquisitionTime", "101500");
                Set(d, "ActualFrameDuration", "1000");
                Set(d, "DecayFactor", "1");
                Set(d, "PatientOrientation", "");
                var radiopharmaceutical = Item(("RadiopharmaceuticalStartTime", "100000"), ("RadionuclideTotalDose", "100"),
                    ("RadionuclideHalfLife", "6586"), ("RadionuclidePositronFraction", "0.97"));
                radiopharmaceutical.Add(Sequence("RadionuclideCodeSequence", Code("C-111A1", "SRT", "^18^Fluorine")));
                d.Add(Sequence("RadiopharmaceuticalInformationSequence", radiopharmaceutical));
                d.Add(Sequence("PatientOrientationCodeSequence"));
                d.Add(Sequence("PatientGantryRelationshipCodeSequence"));
                Pixels(d, 16);
                break;
            case SecondaryCapture:
                Modality(d, "OT");
                Set(d, "ConversionType", "WSD");
                Set(d, "PatientOrientation", "");
                Set(d, "Laterality", "");
                Set(d, "BurnedInAnnotation", "NO");
                Pixels(d, 12);
                break;
            case ComprehensiveSr:
                Modality(d, "SR");
                d.Add(Sequence("ReferencedPerformedProcedureStepSequence"));
                Set(d, "CompletionFlag", "COMPLETE");
                Set(d, "VerificationFlag", "UNVERIFIED");
                Set(d, "ContentDate", "20240105");
                Set(d, "ContentTime", "101500");
                d.Add(Sequence("PerformedProcedureCodeSequence"));
                Set(d, "ValueType", "CONTAINER");
                d.Add(Sequence("ConceptNameCodeSequence", Code("18748-4", "LN", "Diagnostic Imaging Report")));
                Set(d, "ContinuityOfContent", "SEPARATE");
                var text = Item(("ValueType", "TEXT"), ("RelationshipType", "CONTAINS"), ("TextValue", "PHI FINDING TEXT"));
                text.Add(Sequence("ConceptNameCodeSequence", Code("121071", "DCM", "Finding")));
                d.Add(Sequence("ContentSequence", text));
                break;
            case Segmentation:
                SegmentationModules(d);
                break;
            case RtPlan:
                Modality(d, "RTPLAN");
                Set(d, "OperatorsName", "");
                Set(d, "RTPlanLabel", "PLAN1");
                Set(d, "RTPlanDate", "20240105");
                Set(d, "RTPlanTime", "101500");
                Set(d, "RTPlanGeometry", "TREATMENT_DEVICE");
                Set(d, "ApprovalStatus", "APPROVED");
                Set(d, "ReviewDate", "20240105");
                Set(d, "ReviewTime", "101500");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(sopClass), sopClass, null);
        }

        PlantCompositeAttributes(d);
        PlantClinicalTrial(d);
        return d;
    }

    /// <summary>A value in every attribute with a composite action the instance does not hold yet.</summary>
    private static void PlantCompositeAttributes(DicomDataset d)
    {
        var marker = 0;
        foreach (var row in ConfidentialityProfile.Rows.Where(r => !r.IsMasked && r.BasicAction is ProfileAction.RemoveOrZero
                     or ProfileAction.RemoveOrDummy or ProfileAction.ZeroOrDummy or ProfileAction.RemoveOrZeroOrDummy or ProfileAction.RemoveOrZeroOrReplaceUids))
        {
            var tag = new DicomTag(row.Tag);
            if (d.Contains(tag))
            {
                continue;
            }

            marker++;
            var name = DicomDictionary.GetKeyword(tag) ?? "";
            switch (row.ValueRepresentation)
            {
                case "SQ":
                    d.Add(new DicomSequence(tag, SequenceItem(name)));
                    break;
                case "DA":
                    d.SetString(tag, "20240105");
                    break;
                case "TM":
                    d.SetString(tag, "101500");
                    break;
                case "DT":
                    d.SetString(tag, "20240105101500");
                    break;
                case "CS":
                    d.SetString(tag, "ALTERED"); // Patient's Sex Neutered
                    break;
                case "PN":
                    d.SetString(tag, $"PHI^OPERATOR{marker:D2}");
                    break;
                default:
                    d.SetString(tag, $"PHI-{marker:D2}");
                    break;
            }
        }
    }

    private static DicomDataset SequenceItem(string keyword) => keyword switch
    {
        "ReferencedStudySequence" => Reference("1.2.840.10008.3.1.2.3.1", "1.2.826.0.1.3680043.2.1125.9.100"),
        "ReferencedPerformedProcedureStepSequence" => Reference("1.2.840.10008.3.1.2.3.3", "1.2.826.0.1.3680043.2.1125.9.101"),
        "ReferencedImageSequence" or "SourceImageSequence" => Reference(Ct, "1.2.826.0.1.3680043.2.1125.9.102"),
        "InstitutionCodeSequence" => Code("PHI-INST", "99PHI", "PHI Institution"),
        "OperatorIdentificationSequence" => OperatorItem(),
        "AcquisitionContextSequence" => ContextItem(),
        _ => throw new ArgumentOutOfRangeException(nameof(keyword), keyword, "no item for this sequence"),
    };

    private static DicomDataset OperatorItem()
    {
        var item = Item(("InstitutionName", "PHI INSTITUTION OF OPERATOR"));
        item.Add(Sequence("PersonIdentificationCodeSequence", Code("PHI-OP", "99PHI", "PHI Operator")));
        return item;
    }

    private static DicomDataset ContextItem()
    {
        var item = Item(("ValueType", "TEXT"), ("TextValue", "PHI CONTEXT TEXT"));
        item.Add(Sequence("ConceptNameCodeSequence", Code("121106", "DCM", "Comment")));
        return item;
    }

    /// <summary>The Clinical Trial Subject, Study and Series modules (PS3.3 C.7.1.3, C.7.2.3, C.7.3.2), every attribute.</summary>
    private static void PlantClinicalTrial(DicomDataset d)
    {
        Set(d, "ClinicalTrialSponsorName", "PHI SPONSOR");
        Set(d, "ClinicalTrialProtocolID", "PHI-PROTOCOL");
        Set(d, "ClinicalTrialProtocolName", "PHI PROTOCOL NAME");
        Set(d, "ClinicalTrialSiteID", "PHI-SITE");
        Set(d, "ClinicalTrialSiteName", "PHI SITE NAME");
        Set(d, "ClinicalTrialSubjectID", "PHI-SUBJECT");
        Set(d, "ClinicalTrialSubjectReadingID", "PHI-READING");
        Set(d, "ClinicalTrialProtocolEthicsCommitteeName", "PHI ETHICS COMMITTEE");
        Set(d, "ClinicalTrialProtocolEthicsCommitteeApprovalNumber", "PHI-EC-2024");
        Set(d, "ClinicalTrialTimePointID", "PHI-TIMEPOINT");
        Set(d, "ClinicalTrialTimePointDescription", "PHI TIMEPOINT DESCRIPTION");
        Set(d, "ClinicalTrialCoordinatingCenterName", "PHI COORDINATING CENTER");
        Set(d, "ClinicalTrialSeriesID", "PHI-SERIES");
        Set(d, "ClinicalTrialSeriesDescription", "PHI SERIES DESCRIPTION");
    }

    private static void SegmentationModules(DicomDataset d)
    {
        Modality(d, "SEG");
        Set(d, "FrameOfReferenceUID", "1.2.826.0.1.3680043.2.1125.9.99");
        Set(d, "PositionReferenceIndicator", "");
        Set(d, "ManufacturerModelName", "MODEL");
        Set(d, "DeviceSerialNumber", "PHI-SERIAL");
        Set(d, "SoftwareVersions", "1");
        Set(d, "ImageType", @"DERIVED\PRIMARY");
        Set(d, "ContentLabel", "SEG");
        Set(d, "ContentDescription", "");
        Set(d, "ContentCreatorName", "PHI^CREATOR");
        Set(d, "SegmentationType", "BINARY");
        Set(d, "ContentDate", "20240105");
        Set(d, "ContentTime", "101500");
        var segment = Item(("SegmentLabel", "LIVER"), ("SegmentAlgorithmType", "MANUAL"));
        segment.SetValues<ushort>(Tag("SegmentNumber"), DicomVR.US, 1);
        segment.Add(Sequence("SegmentedPropertyCategoryCodeSequence", Code("91723000", "SCT", "Anatomical Structure")));
        segment.Add(Sequence("SegmentedPropertyTypeCodeSequence", Code("10200004", "SCT", "Liver")));
        d.Add(Sequence("SegmentSequence", segment));
        d.SetValues<ushort>(Tag("SamplesPerPixel"), DicomVR.US, 1);
        Set(d, "PhotometricInterpretation", "MONOCHROME2");
        d.SetValues<ushort>(Tag("Rows"), DicomVR.US, 4);
        d.SetValues<ushort>(Tag("Columns"), DicomVR.US, 4);
        d.SetValues<ushort>(Tag("BitsAllocated"), DicomVR.US, 1);
        d.SetValues<ushort>(Tag("BitsStored"), DicomVR.US, 1);
        d.SetValues<ushort>(Tag("HighBit"), DicomVR.US, 0);
        d.SetValues<ushort>(Tag("PixelRepresentation"), DicomVR.US, 0);
        Set(d, "LossyImageCompression", "00");
        Set(d, "NumberOfFrames", "1");
        var shared = new DicomDataset();
        shared.Add(Sequence("PixelMeasuresSequence", Item(("PixelSpacing", @"1\1"), ("SliceThickness", "1"))));
        shared.Add(Sequence("PlaneOrientationSequence", Item(("ImageOrientationPatient", @"1\0\0\0\1\0"))));
        d.Add(Sequence("SharedFunctionalGroupsSequence", shared));
        var frameContent = new DicomDataset();
        frameContent.SetValues<uint>(Tag("DimensionIndexValues"), DicomVR.UL, 1, 1);
        var segmentIdentification = new DicomDataset();
        segmentIdentification.SetValues<ushort>(Tag("ReferencedSegmentNumber"), DicomVR.US, 1);
        var frame = new DicomDataset();
        frame.Add(Sequence("FrameContentSequence", frameContent));
        frame.Add(Sequence("PlanePositionSequence", Item(("ImagePositionPatient", @"0\0\0"))));
        frame.Add(Sequence("SegmentIdentificationSequence", segmentIdentification));
        d.Add(Sequence("PerFrameFunctionalGroupsSequence", frame));
        const string organization = "1.2.826.0.1.3680043.2.1125.9.77";
        d.Add(Sequence("DimensionOrganizationSequence", Item(("DimensionOrganizationUID", organization))));
        d.Add(Sequence("DimensionIndexSequence",
            Dimension(organization, Tag("ReferencedSegmentNumber"), Tag("SegmentIdentificationSequence")),
            Dimension(organization, Tag("ImagePositionPatient"), Tag("PlanePositionSequence"))));
        d.Add(new DicomValueElement(new DicomTag(0x7FE00010), DicomVR.OB, new byte[2]));
    }

    private static DicomDataset Dimension(string organization, DicomTag index, DicomTag group)
    {
        var item = Item(("DimensionOrganizationUID", organization));
        item.SetValues<ushort>(Tag("DimensionIndexPointer"), DicomVR.AT, index.Group, index.Element);
        item.SetValues<ushort>(Tag("FunctionalGroupPointer"), DicomVR.AT, group.Group, group.Element);
        return item;
    }

    private static void Modality(DicomDataset d, string modality) => Set(d, "Modality", modality);

    private static void Geometry(DicomDataset d)
    {
        Set(d, "FrameOfReferenceUID", "1.2.826.0.1.3680043.2.1125.9.99");
        Set(d, "PositionReferenceIndicator", "");
        Set(d, "ImagePositionPatient", @"0\0\0");
        Set(d, "ImageOrientationPatient", @"1\0\0\0\1\0");
        Set(d, "PixelSpacing", @"1\1");
        Set(d, "SliceThickness", "1");
    }

    private static void Pixels(DicomDataset d, ushort bitsStored)
    {
        d.SetValues<ushort>(Tag("SamplesPerPixel"), DicomVR.US, 1);
        Set(d, "PhotometricInterpretation", "MONOCHROME2");
        d.SetValues<ushort>(Tag("Rows"), DicomVR.US, 4);
        d.SetValues<ushort>(Tag("Columns"), DicomVR.US, 4);
        d.SetValues<ushort>(Tag("BitsAllocated"), DicomVR.US, 16);
        d.SetValues<ushort>(Tag("BitsStored"), DicomVR.US, bitsStored);
        d.SetValues<ushort>(Tag("HighBit"), DicomVR.US, (ushort)(bitsStored - 1));
        d.SetValues<ushort>(Tag("PixelRepresentation"), DicomVR.US, 0);
        d.SetValues<ushort>(new DicomTag(0x7FE00010), DicomVR.OW, new ushort[16]);
    }

    private static DicomDataset Reference(string sopClass, string sopInstance) =>
        Item(("ReferencedSOPClassUID", sopClass), ("ReferencedSOPInstanceUID", sopInstance));

    private static DicomDataset Code(string value, string scheme, string meaning) =>
        Item(("CodeValue", value), ("CodingSchemeDesignator", scheme), ("CodeMeaning", meaning));

    private static DicomDataset Item(params (string Keyword, string Value)[] values)
    {
        var item = new DicomDataset();
        foreach (var (keyword, value) in values)
        {
            Set(item, keyword, value);
        }

        return item;
    }

    private static DicomSequence Sequence(string keyword, params DicomDataset[] items) => new(Tag(keyword), items);

    private static void Set(DicomDataset d, string keyword, string value) => d.SetString(Tag(keyword), value);

    private static DicomTag Tag(string keyword) =>
        DicomDictionary.TryGetTag(keyword, out var tag) ? tag : throw new ArgumentException($"unknown keyword {keyword}", nameof(keyword));
}
