namespace ImagingRepo.Dicom;

/// <summary>
/// Frequently used tags by keyword. Any other keyword resolves through <see cref="DicomDictionary.TryGetTag(string, out DicomTag)"/>.
/// </summary>
public static class DicomTags
{
    /// <summary>(0002,0000) File Meta Information Group Length.</summary>
    public static DicomTag FileMetaInformationGroupLength => new(0x00020000);
    /// <summary>(0002,0001) File Meta Information Version.</summary>
    public static DicomTag FileMetaInformationVersion => new(0x00020001);
    /// <summary>(0002,0002) Media Storage SOP Class UID.</summary>
    public static DicomTag MediaStorageSOPClassUID => new(0x00020002);
    /// <summary>(0002,0003) Media Storage SOP Instance UID.</summary>
    public static DicomTag MediaStorageSOPInstanceUID => new(0x00020003);
    /// <summary>(0002,0010) Transfer Syntax UID.</summary>
    public static DicomTag TransferSyntaxUID => new(0x00020010);
    /// <summary>(0002,0012) Implementation Class UID.</summary>
    public static DicomTag ImplementationClassUID => new(0x00020012);
    /// <summary>(0002,0013) Implementation Version Name.</summary>
    public static DicomTag ImplementationVersionName => new(0x00020013);
    /// <summary>(0002,0016) Source Application Entity Title.</summary>
    public static DicomTag SourceApplicationEntityTitle => new(0x00020016);
    /// <summary>(0008,0005) Specific Character Set.</summary>
    public static DicomTag SpecificCharacterSet => new(0x00080005);
    /// <summary>(0008,0008) Image Type.</summary>
    public static DicomTag ImageType => new(0x00080008);
    /// <summary>(0008,0012) Instance Creation Date.</summary>
    public static DicomTag InstanceCreationDate => new(0x00080012);
    /// <summary>(0008,0013) Instance Creation Time.</summary>
    public static DicomTag InstanceCreationTime => new(0x00080013);
    /// <summary>(0008,0016) SOP Class UID.</summary>
    public static DicomTag SOPClassUID => new(0x00080016);
    /// <summary>(0008,0018) SOP Instance UID.</summary>
    public static DicomTag SOPInstanceUID => new(0x00080018);
    /// <summary>(0008,0020) Study Date.</summary>
    public static DicomTag StudyDate => new(0x00080020);
    /// <summary>(0008,0021) Series Date.</summary>
    public static DicomTag SeriesDate => new(0x00080021);
    /// <summary>(0008,0022) Acquisition Date.</summary>
    public static DicomTag AcquisitionDate => new(0x00080022);
    /// <summary>(0008,0023) Content Date.</summary>
    public static DicomTag ContentDate => new(0x00080023);
    /// <summary>(0008,002A) Acquisition DateTime.</summary>
    public static DicomTag AcquisitionDateTime => new(0x0008002A);
    /// <summary>(0008,0030) Study Time.</summary>
    public static DicomTag StudyTime => new(0x00080030);
    /// <summary>(0008,0031) Series Time.</summary>
    public static DicomTag SeriesTime => new(0x00080031);
    /// <summary>(0008,0033) Content Time.</summary>
    public static DicomTag ContentTime => new(0x00080033);
    /// <summary>(0008,0050) Accession Number.</summary>
    public static DicomTag AccessionNumber => new(0x00080050);
    /// <summary>(0008,0060) Modality.</summary>
    public static DicomTag Modality => new(0x00080060);
    /// <summary>(0008,0070) Manufacturer.</summary>
    public static DicomTag Manufacturer => new(0x00080070);
    /// <summary>(0008,0080) Institution Name.</summary>
    public static DicomTag InstitutionName => new(0x00080080);
    /// <summary>(0008,0081) Institution Address.</summary>
    public static DicomTag InstitutionAddress => new(0x00080081);
    /// <summary>(0008,0090) Referring Physician's Name.</summary>
    public static DicomTag ReferringPhysicianName => new(0x00080090);
    /// <summary>(0008,0100) Code Value.</summary>
    public static DicomTag CodeValue => new(0x00080100);
    /// <summary>(0008,0102) Coding Scheme Designator.</summary>
    public static DicomTag CodingSchemeDesignator => new(0x00080102);
    /// <summary>(0008,0104) Code Meaning.</summary>
    public static DicomTag CodeMeaning => new(0x00080104);
    /// <summary>(0008,0119) Long Code Value.</summary>
    public static DicomTag LongCodeValue => new(0x00080119);
    /// <summary>(0008,0120) URN Code Value.</summary>
    public static DicomTag URNCodeValue => new(0x00080120);
    /// <summary>(0008,1030) Study Description.</summary>
    public static DicomTag StudyDescription => new(0x00081030);
    /// <summary>(0008,103E) Series Description.</summary>
    public static DicomTag SeriesDescription => new(0x0008103E);
    /// <summary>(0008,1090) Manufacturer's Model Name.</summary>
    public static DicomTag ManufacturerModelName => new(0x00081090);
    /// <summary>(0008,1115) Referenced Series Sequence.</summary>
    public static DicomTag ReferencedSeriesSequence => new(0x00081115);
    /// <summary>(0008,1140) Referenced Image Sequence.</summary>
    public static DicomTag ReferencedImageSequence => new(0x00081140);
    /// <summary>(0008,1150) Referenced SOP Class UID.</summary>
    public static DicomTag ReferencedSOPClassUID => new(0x00081150);
    /// <summary>(0008,1155) Referenced SOP Instance UID.</summary>
    public static DicomTag ReferencedSOPInstanceUID => new(0x00081155);
    /// <summary>(0008,1200) Studies Containing Other Referenced Instances Sequence.</summary>
    public static DicomTag StudiesContainingOtherReferencedInstancesSequence => new(0x00081200);
    /// <summary>(0010,0010) Patient's Name.</summary>
    public static DicomTag PatientName => new(0x00100010);
    /// <summary>(0010,0020) Patient ID.</summary>
    public static DicomTag PatientID => new(0x00100020);
    /// <summary>(0010,0030) Patient's Birth Date.</summary>
    public static DicomTag PatientBirthDate => new(0x00100030);
    /// <summary>(0010,0040) Patient's Sex.</summary>
    public static DicomTag PatientSex => new(0x00100040);
    /// <summary>(0010,1010) Patient's Age.</summary>
    public static DicomTag PatientAge => new(0x00101010);
    /// <summary>(0012,0062) Patient Identity Removed.</summary>
    public static DicomTag PatientIdentityRemoved => new(0x00120062);
    /// <summary>(0012,0063) De-identification Method.</summary>
    public static DicomTag DeidentificationMethod => new(0x00120063);
    /// <summary>(0012,0064) De-identification Method Code Sequence.</summary>
    public static DicomTag DeidentificationMethodCodeSequence => new(0x00120064);
    /// <summary>(0012,0081) Clinical Trial Protocol Ethics Committee Name.</summary>
    public static DicomTag ClinicalTrialProtocolEthicsCommitteeName => new(0x00120081);
    /// <summary>(0012,0082) Clinical Trial Protocol Ethics Committee Approval Number.</summary>
    public static DicomTag ClinicalTrialProtocolEthicsCommitteeApprovalNumber => new(0x00120082);
    /// <summary>(0018,0015) Body Part Examined.</summary>
    public static DicomTag BodyPartExamined => new(0x00180015);
    /// <summary>(0018,0050) Slice Thickness.</summary>
    public static DicomTag SliceThickness => new(0x00180050);
    /// <summary>(0020,000D) Study Instance UID.</summary>
    public static DicomTag StudyInstanceUID => new(0x0020000D);
    /// <summary>(0020,000E) Series Instance UID.</summary>
    public static DicomTag SeriesInstanceUID => new(0x0020000E);
    /// <summary>(0020,0010) Study ID.</summary>
    public static DicomTag StudyID => new(0x00200010);
    /// <summary>(0020,0011) Series Number.</summary>
    public static DicomTag SeriesNumber => new(0x00200011);
    /// <summary>(0020,0013) Instance Number.</summary>
    public static DicomTag InstanceNumber => new(0x00200013);
    /// <summary>(0020,0032) Image Position (Patient).</summary>
    public static DicomTag ImagePositionPatient => new(0x00200032);
    /// <summary>(0020,0037) Image Orientation (Patient).</summary>
    public static DicomTag ImageOrientationPatient => new(0x00200037);
    /// <summary>(0020,0052) Frame of Reference UID.</summary>
    public static DicomTag FrameOfReferenceUID => new(0x00200052);
    /// <summary>(0028,0002) Samples per Pixel.</summary>
    public static DicomTag SamplesPerPixel => new(0x00280002);
    /// <summary>(0028,0004) Photometric Interpretation.</summary>
    public static DicomTag PhotometricInterpretation => new(0x00280004);
    /// <summary>(0028,0008) Number of Frames.</summary>
    public static DicomTag NumberOfFrames => new(0x00280008);
    /// <summary>(0028,0010) Rows.</summary>
    public static DicomTag Rows => new(0x00280010);
    /// <summary>(0028,0011) Columns.</summary>
    public static DicomTag Columns => new(0x00280011);
    /// <summary>(0028,0030) Pixel Spacing.</summary>
    public static DicomTag PixelSpacing => new(0x00280030);
    /// <summary>(0028,0100) Bits Allocated.</summary>
    public static DicomTag BitsAllocated => new(0x00280100);
    /// <summary>(0028,0101) Bits Stored.</summary>
    public static DicomTag BitsStored => new(0x00280101);
    /// <summary>(0028,0102) High Bit.</summary>
    public static DicomTag HighBit => new(0x00280102);
    /// <summary>(0028,0103) Pixel Representation.</summary>
    public static DicomTag PixelRepresentation => new(0x00280103);
    /// <summary>(0028,0301) Burned In Annotation.</summary>
    public static DicomTag BurnedInAnnotation => new(0x00280301);
    /// <summary>(0028,1050) Window Center.</summary>
    public static DicomTag WindowCenter => new(0x00281050);
    /// <summary>(0028,1051) Window Width.</summary>
    public static DicomTag WindowWidth => new(0x00281051);
    /// <summary>(0028,1052) Rescale Intercept.</summary>
    public static DicomTag RescaleIntercept => new(0x00281052);
    /// <summary>(0028,1053) Rescale Slope.</summary>
    public static DicomTag RescaleSlope => new(0x00281053);
    /// <summary>(0040,A730) Content Sequence.</summary>
    public static DicomTag ContentSequence => new(0x0040A730);
    /// <summary>(5200,9229) Shared Functional Groups Sequence.</summary>
    public static DicomTag SharedFunctionalGroupsSequence => new(0x52009229);
    /// <summary>(5200,9230) Per-frame Functional Groups Sequence.</summary>
    public static DicomTag PerFrameFunctionalGroupsSequence => new(0x52009230);
    /// <summary>(7FE0,0001) Extended Offset Table.</summary>
    public static DicomTag ExtendedOffsetTable => new(0x7FE00001);
    /// <summary>(7FE0,0002) Extended Offset Table Lengths.</summary>
    public static DicomTag ExtendedOffsetTableLengths => new(0x7FE00002);
    /// <summary>(7FE0,0008) Float Pixel Data.</summary>
    public static DicomTag FloatPixelData => new(0x7FE00008);
    /// <summary>(7FE0,0009) Double Float Pixel Data.</summary>
    public static DicomTag DoubleFloatPixelData => new(0x7FE00009);
    /// <summary>(7FE0,0010) Pixel Data.</summary>
    public static DicomTag PixelData => new(0x7FE00010);
    /// <summary>(FFFC,FFFC) Data Set Trailing Padding.</summary>
    public static DicomTag DataSetTrailingPadding => new(0xFFFCFFFC);
}
