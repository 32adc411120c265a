using System.Text;

namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// Applies the compiled profile to one dataset in place, at every sequence depth: one tag-keyed lookup per
/// element, values replaced through the codec's typed setters, lazily kept large values (pixel data) untouched
/// so the writer can stream them.
/// </summary>
internal sealed class InstanceDeidentifier
{
    private const string DummyText = "DEIDENTIFIED";

    private static readonly uint CodeMeaning = DicomTags.CodeMeaning.Value;

    // Items of these sequences hold vocabulary (concept names, units, anatomy): their codes are kept when the
    // enclosing content is replaced by dummies, so a structured report keeps its meaning-free skeleton.
    private static readonly HashSet<uint> VocabularySequences =
    [
        DicomTagValues.ConceptNameCodeSequence,
        DicomTagValues.ConceptCodeSequence,
        DicomTagValues.MeasurementUnitsCodeSequence,
        DicomTagValues.ModifierCodeSequence,
        DicomTagValues.PurposeOfReferenceCodeSequence,
        DicomTagValues.AnatomicRegionSequence,
        DicomTagValues.DerivationCodeSequence,
    ];

    private readonly ProfileRules _rules;
    private readonly Pseudonymizer _pseudonymizer;
    private readonly bool _collectIdentifiers;

    // the attributes that say what was done, without and with the pixel clean: the same for every instance
    private readonly DicomDataset _attributes;
    private readonly DicomDataset _attributesWithPixelClean;

    public InstanceDeidentifier(ProfileRules rules, Pseudonymizer pseudonymizer)
    {
        _rules = rules;
        _attributes = DeidentificationAttributes(rules.Options, false);
        _attributesWithPixelClean = DeidentificationAttributes(rules.Options, true);
        _pseudonymizer = pseudonymizer;
        const DeidentificationOptions cleaning = DeidentificationOptions.CleanDescriptors | DeidentificationOptions.CleanStructuredContent
            | DeidentificationOptions.CleanGraphics | DeidentificationOptions.RetainPatientCharacteristics | DeidentificationOptions.RetainDeviceIdentity;
        _collectIdentifiers = (rules.Options & cleaning) != 0 || rules.HasOverrides;
    }

    private enum Mode
    {
        Normal,
        DummyContent,
        CleanContent,
    }

    /// <summary>De-identifies <paramref name="dataset"/> in place and reports what was done.</summary>
    public InstanceReport Apply(DicomDataset dataset, bool pixelsCleaned = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var patientKey = (dataset.GetString(DicomTags.PatientID) ?? "").Trim();
        if (patientKey.Length == 0)
        {
            patientKey = (dataset.GetString(DicomTags.PatientName) ?? "").Trim();
        }

        var state = new State(patientKey)
        {
            DateShiftDays = (_rules.Options & DeidentificationOptions.RetainLongitudinalModifiedDates) != 0
                ? _pseudonymizer.DateShiftDays(patientKey)
                : 0,
            Iod = IodAttributeTypes.For(dataset.GetString(DicomTags.SOPClassUID)),
        };

        if (_collectIdentifiers)
        {
            Collect(dataset, state.Scrubber);
        }

        Process(dataset, Mode.Normal, 0, 0, state);
        // the profile has one rule for all the repeating overlay groups 6000-601E: the first group's speaks for them
        if (_rules.RuleFor(DicomTagValues.OverlayData).Kind == ElementActionKind.Remove)
        {
            RemoveOverlayGroups(dataset, state);
        }

        AddDeidentificationAttributes(dataset, pixelsCleaned);
        return new InstanceReport(state.Actions, state.DateShiftDays, patientKey);
    }

    private void Collect(DicomDataset dataset, IdentifierScrubber scrubber)
    {
        foreach (var element in dataset)
        {
            if (element is DicomSequence sequence)
            {
                foreach (var item in sequence.Items)
                {
                    Collect(item, scrubber);
                }

                continue;
            }

            if (element is not DicomValueElement value || value.Length == 0 || value.Length > 1024)
            {
                continue;
            }

            var rule = _rules.RuleFor(element.Tag.Value);
            if (rule.Kind is ElementActionKind.Keep or ElementActionKind.Clean || !rule.Listed)
            {
                continue;
            }

            switch (element.VR)
            {
                case DicomVR.PN:
                    scrubber.Add(dataset.DecodeString(value), isPersonName: true);
                    break;
                case DicomVR.DA:
                    scrubber.Add(dataset.DecodeString(value), isDate: true);
                    break;
                case DicomVR.LO or DicomVR.SH or DicomVR.AE or DicomVR.UC:
                    scrubber.Add(dataset.DecodeString(value));
                    break;
            }
        }
    }

    private void Process(DicomDataset dataset, Mode mode, uint parentSequence, int depth, State state)
    {
        var hasPrivate = false;
        for (var i = 0; i < dataset.Count; i++)
        {
            var element = dataset.ElementAt(i);
            var tag = element.Tag.Value;
            if (element.Tag.IsGroupLength && element.Tag.Group != 0x0002)
            {
                // group lengths go stale once values change; they are retired and optional
                dataset.Remove(element.Tag);
                i--;
                continue;
            }

            if (element.Tag.IsPrivate && !element.Tag.IsPrivateDataElement)
            {
                hasPrivate = true; // private creators and reserved elements are settled after their blocks
                continue;
            }

            var rule = _rules.RuleFor(tag);
            if (rule.ByIodType && depth == 0 && state.Iod is { } iod)
            {
                rule = _rules.ForIod(tag, rule, iod, dataset); // the IOD's module tables apply at the top level only
            }

            if (!rule.Listed && mode != Mode.Normal)
            {
                rule = ContentRule(element, mode, parentSequence);
            }

            if (tag == CodeMeaning && rule.Kind is ElementActionKind.Keep or ElementActionKind.Clean
                && _rules.PrivateCodeMeanings is { } meanings && meanings.IsPrivate(dataset))
            {
                // a site's own code meaning is free text, kept by the rules for codes but not by this one
                meanings.Replace(dataset);
                state.Actions.Add(ActionLog.CodeOf(ElementActionKind.Clean), tag);
                continue;
            }

            if (rule.Kind == ElementActionKind.Private)
            {
                rule = IsSafePrivate(dataset, element.Tag) ? ElementRule.Keep : new ElementRule(ElementActionKind.Remove);
            }

            if (rule.Kind == ElementActionKind.PseudonymPatientName && depth > 0)
            {
                rule = new ElementRule(ElementActionKind.Zero);
            }

            if (rule.Kind is not (ElementActionKind.Keep or ElementActionKind.Remove) && element.VR == DicomVR.UN)
            {
                element = WithDictionaryVR(dataset, element);
            }

            if (!Apply(dataset, element, rule, mode, depth, state))
            {
                i--;
            }

            if (rule.Kind != ElementActionKind.Keep)
            {
                state.Actions.Add(ActionLog.CodeOf(rule.Kind), tag);
            }
        }

        if (hasPrivate)
        {
            RemoveUnusedPrivateCreators(dataset, state);
        }
    }

    /// <summary>Applies a rule; returns false when the element was removed.</summary>
    private bool Apply(DicomDataset dataset, DicomElement element, ElementRule rule, Mode mode, int depth, State state)
    {
        var tag = element.Tag;
        switch (rule.Kind)
        {
            case ElementActionKind.Remove:
                dataset.Remove(tag);
                return false;

            case ElementActionKind.Zero:
                dataset.SetEmpty(tag);
                return true;

            case ElementActionKind.Keep when element is DicomSequence sequence:
                ProcessItems(sequence, mode, depth, state);
                return true;

            case ElementActionKind.Keep:
                return true;

            case ElementActionKind.ReplaceUid when element is DicomSequence sequence:
                ProcessItems(sequence, mode, depth, state);
                return true;

            case ElementActionKind.ReplaceUid when element.VR == DicomVR.UI && element is DicomValueElement value:
                // an instance's own UID recurs only in references to it, elsewhere: not worth remembering
                dataset.SetString(tag, DicomVR.UI, ReplaceUids(dataset.DecodeString(value), remember: depth > 0 || tag.Value != DicomTagValues.SOPInstanceUID));
                return true;

            case ElementActionKind.Dummy or ElementActionKind.ReplaceUid:
                if (element is DicomSequence dummySequence)
                {
                    ProcessItems(dummySequence, Mode.DummyContent, depth, state);
                }
                else
                {
                    SetDummy(dataset, element);
                }

                return true;

            case ElementActionKind.Clean:
                Clean(dataset, element, depth, state);
                return true;

            case ElementActionKind.Replace:
                SetReplacement(dataset, element, rule.Value ?? "");
                return true;

            case ElementActionKind.PseudonymPatientId:
                dataset.SetString(tag, DicomVR.LO, _pseudonymizer.PatientId(
                    depth == 0 ? state.PatientKey : (dataset.GetString(tag) ?? "").Trim()));
                return true;

            case ElementActionKind.PseudonymPatientName:
                dataset.SetString(tag, DicomVR.PN, _pseudonymizer.PatientName(state.PatientKey));
                return true;

            default:
                dataset.Remove(tag);
                return false;
        }
    }

    /// <summary>
    /// An element read as UN (unknown VR) whose tag the dictionary knows is re-typed before its value is replaced,
    /// so the replacement is written with the proper VR and decoded as text where it is text.
    /// </summary>
    private static DicomElement WithDictionaryVR(DicomDataset dataset, DicomElement element)
    {
        var vr = DicomDictionary.GetVR(element.Tag);
        if (element is not DicomValueElement value || value.IsLazy || vr is DicomVR.UN or DicomVR.None or DicomVR.SQ || !vr.IsText())
        {
            return element;
        }

        var retyped = new DicomValueElement(element.Tag, vr, value.GetBytes());
        dataset.Add(retyped);
        return retyped;
    }

    /// <summary>
    /// Once Overlay Data is removed the rest of its Overlay Plane module (rows, columns, origin, ...) would describe
    /// an overlay that is not there: the whole repeating group goes.
    /// </summary>
    private static void RemoveOverlayGroups(DicomDataset dataset, State state)
    {
        for (var i = 0; i < dataset.Count; i++)
        {
            var tag = dataset.ElementAt(i).Tag;
            if (tag.Group is >= 0x6000 and <= 0x601E && (tag.Group & 1) == 0)
            {
                dataset.Remove(tag);
                state.Actions.Add(ActionLog.Removed, tag.Value);
                i--;
            }
        }
    }

    private void ProcessItems(DicomSequence sequence, Mode mode, int depth, State state)
    {
        var items = sequence.Items;
        for (var i = 0; i < items.Count; i++)
        {
            Process(items[i], mode, sequence.Tag.Value, depth + 1, state);
        }
    }

    private static ElementRule ContentRule(DicomElement element, Mode mode, uint parentSequence)
    {
        if (element is DicomSequence)
        {
            return ElementRule.Unlisted;
        }

        var tag = element.Tag.Value;
        var isCode = tag is DicomTagValues.CodeValue or DicomTagValues.CodingSchemeDesignator or DicomTagValues.CodingSchemeVersion
            or DicomTagValues.CodeMeaning or DicomTagValues.LongCodeValue or DicomTagValues.URNCodeValue;
        if (mode == Mode.DummyContent)
        {
            if (isCode && VocabularySequences.Contains(parentSequence))
            {
                return ElementRule.Unlisted;
            }

            return element.VR is DicomVR.AE or DicomVR.AS or DicomVR.DA or DicomVR.DT or DicomVR.TM or DicomVR.LO or DicomVR.LT
                or DicomVR.PN or DicomVR.SH or DicomVR.ST or DicomVR.UC or DicomVR.UT or DicomVR.UR
                ? new ElementRule(ElementActionKind.Dummy)
                : ElementRule.Unlisted;
        }

        return element.VR is DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH or DicomVR.ST or DicomVR.UC or DicomVR.UT
            && !(isCode && VocabularySequences.Contains(parentSequence))
            ? new ElementRule(ElementActionKind.Clean)
            : ElementRule.Unlisted;
    }

    private void Clean(DicomDataset dataset, DicomElement element, int depth, State state)
    {
        if (element is DicomSequence sequence)
        {
            ProcessItems(sequence, Mode.CleanContent, depth, state);
            return;
        }

        if (element is not DicomValueElement value || value.Length == 0)
        {
            return;
        }

        var tag = element.Tag;
        switch (element.VR)
        {
            case DicomVR.DA or DicomVR.DT:
                var text = dataset.DecodeString(value);
                var shifted = state.DateShiftDays == 0
                    ? null
                    : element.VR == DicomVR.DA ? DateShifter.ShiftDate(text, state.DateShiftDays) : DateShifter.ShiftDateTime(text, state.DateShiftDays);
                if (shifted is null)
                {
                    dataset.SetEmpty(tag);
                }
                else
                {
                    dataset.SetString(tag, element.VR, shifted);
                }

                break;

            case DicomVR.AE:
                dataset.SetString(tag, DicomVR.AE, "DEID" + _pseudonymizer.Token("ae", dataset.DecodeString(value).Trim(), 12));
                break;

            case DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH or DicomVR.ST or DicomVR.UC or DicomVR.UT:
                var original = dataset.DecodeString(value);
                var cleaned = state.Scrubber.Clean(original);
                if (!ReferenceEquals(cleaned, original))
                {
                    try
                    {
                        dataset.SetString(tag, element.VR, cleaned);
                    }
                    catch (DicomException)
                    {
                        // the cleaned text cannot be re-encoded in the instance's character set: empty is safe
                        dataset.SetEmpty(tag);
                    }
                }

                break;

            // numbers, codes, ages, times and binary graphics carry their meaning, not identity: kept
        }
    }

    private string ReplaceUids(string value, bool remember = true)
    {
        var trimmed = value.TrimEnd('\0', ' ');
        if (trimmed.Length == 0)
        {
            return trimmed;
        }

        if (!trimmed.Contains('\\', StringComparison.Ordinal))
        {
            return ReplaceUid(trimmed, remember);
        }

        var parts = trimmed.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = ReplaceUid(parts[i], remember);
        }

        return string.Join('\\', parts);
    }

    private string ReplaceUid(string uid, bool remember = true)
    {
        var trimmed = uid.Trim('\0', ' ');

        // Well-known UIDs of the standard (SOP classes, coding schemes, frames of reference) identify no one.
        if (trimmed.Length == 0 || trimmed.StartsWith("1.2.840.10008.", StringComparison.Ordinal))
        {
            return trimmed;
        }

        return _pseudonymizer.ReplaceUid(trimmed, remember);
    }

    private void SetDummy(DicomDataset dataset, DicomElement element)
    {
        var tag = element.Tag;
        switch (element.VR)
        {
            case DicomVR.UI:
                var uid = element is DicomValueElement v ? dataset.DecodeString(v) : "";
                dataset.SetString(tag, DicomVR.UI, uid.Trim('\0', ' ').Length > 0 ? ReplaceUids(uid) : _pseudonymizer.ReplaceUid(tag.ToString()));
                break;
            case DicomVR.DA:
                dataset.SetString(tag, DicomVR.DA, "19000101");
                break;
            case DicomVR.DT:
                dataset.SetString(tag, DicomVR.DT, "19000101000000");
                break;
            case DicomVR.TM:
                dataset.SetString(tag, DicomVR.TM, "000000");
                break;
            case DicomVR.AS:
                dataset.SetString(tag, DicomVR.AS, "000D");
                break;
            case DicomVR.DS or DicomVR.IS:
                dataset.SetString(tag, element.VR, "0");
                break;
            case DicomVR.UR:
                dataset.SetString(tag, DicomVR.UR, "urn:deidentified");
                break;
            case DicomVR.PN:
                dataset.SetString(tag, DicomVR.PN, DummyText + "^" + DummyText);
                break;
            case var vr when vr.IsText():
                dataset.SetString(tag, vr, DummyText);
                break;
            case DicomVR.AT or DicomVR.UL or DicomVR.SL or DicomVR.FL:
                dataset.Add(new DicomValueElement(tag, element.VR, new byte[4]));
                break;
            case DicomVR.US or DicomVR.SS:
                dataset.Add(new DicomValueElement(tag, element.VR, new byte[2]));
                break;
            default:
                // FD, SV, UV and the O* / UN byte VRs: eight zero bytes fit every unit size
                dataset.Add(new DicomValueElement(tag, element.VR == DicomVR.None ? DicomVR.UN : element.VR, new byte[8]));
                break;
        }
    }

    private static void SetReplacement(DicomDataset dataset, DicomElement element, string value)
    {
        var vr = element.VR;
        if (vr.IsText())
        {
            dataset.SetString(element.Tag, vr, value);
        }
        else
        {
            // a policy replacement of a binary value is written as text of the dictionary VR where it has one
            var dictionaryVr = DicomDictionary.GetVR(element.Tag);
            if (dictionaryVr.IsText())
            {
                dataset.SetString(element.Tag, dictionaryVr, value);
            }
            else
            {
                dataset.Add(new DicomValueElement(element.Tag, vr, Encoding.ASCII.GetBytes(value.Length % 2 == 0 ? value : value + " ")));
            }
        }
    }

    private bool IsSafePrivate(DicomDataset dataset, DicomTag tag)
    {
        var allow = _rules.SafePrivate;
        // not PrivateCreatorTag: the profile's private rule covers every odd group, also the illegal ones up to 0007
        if (allow.IsEmpty || tag.Element < 0x1000)
        {
            return false;
        }

        var creator = dataset.GetString(new DicomTag(tag.Group, (ushort)(tag.Element >> 8)))?.Trim();
        return !string.IsNullOrEmpty(creator) && allow.Contains(creator, tag);
    }

    private static void RemoveUnusedPrivateCreators(DicomDataset dataset, State state)
    {
        for (var i = 0; i < dataset.Count; i++)
        {
            var tag = dataset.ElementAt(i).Tag;
            if (!tag.IsPrivate || tag.IsPrivateDataElement)
            {
                continue;
            }

            var used = false;
            if (tag.Element is >= 0x0010 and <= 0x00FF)
            {
                var blockStart = ((uint)tag.Group << 16) | ((uint)tag.Element << 8);
                foreach (var other in dataset)
                {
                    if (other.Tag.Value >= blockStart && other.Tag.Value <= blockStart + 0xFF)
                    {
                        used = true;
                        break;
                    }
                }
            }

            if (!used)
            {
                dataset.Remove(tag);
                state.Actions.Add(ActionLog.Removed, tag.Value);
                i--;
            }
        }
    }

    /// <summary>Adds copies of the engine's de-identification attributes (values shared, being read-only).</summary>
    private void AddDeidentificationAttributes(DicomDataset dataset, bool pixelsCleaned)
    {
        foreach (var element in (pixelsCleaned ? _attributesWithPixelClean : _attributes).Clone())
        {
            dataset.Add(element);
        }
    }

    /// <summary>
    /// Patient Identity Removed, De-identification Method and its code sequence (CID 7050), Longitudinal Temporal
    /// Information Modified and, after a pixel clean, Burned In Annotation NO: encoded once per engine.
    /// </summary>
    private static DicomDataset DeidentificationAttributes(DeidentificationOptions options, bool pixelsCleaned)
    {
        var codes = DeidentificationMethodCode.For(options, pixelsCleaned).ToArray();
        var attributes = new DicomDataset();
        attributes.SetString(DicomTags.PatientIdentityRemoved, DicomVR.CS, "YES");
        attributes.SetString(DicomTags.DeidentificationMethod, DicomVR.LO, string.Join('\\', codes.Select(c => c.Meaning)));
        var sequence = new DicomSequence(DicomTags.DeidentificationMethodCodeSequence);
        foreach (var code in codes)
        {
            var item = new DicomDataset();
            item.SetString(DicomTags.CodeValue, DicomVR.SH, code.Value);
            item.SetString(DicomTags.CodingSchemeDesignator, DicomVR.SH, DeidentificationMethodCode.SchemeDesignator);
            item.SetString(DicomTags.CodeMeaning, DicomVR.LO, code.Meaning);
            sequence.Items.Add(item);
        }

        attributes.Add(sequence);
        var temporal = (options & DeidentificationOptions.RetainLongitudinalModifiedDates) != 0 ? "MODIFIED"
            : (options & DeidentificationOptions.RetainLongitudinalFullDates) != 0 ? "UNMODIFIED"
            : "REMOVED";
        attributes.SetString(DicomTags.LongitudinalTemporalInformationModified, DicomVR.CS, temporal);
        if (pixelsCleaned)
        {
            attributes.SetString(DicomTags.BurnedInAnnotation, DicomVR.CS, "NO");
        }

        return attributes;
    }

    private sealed class State(string patientKey)
    {
        private IdentifierScrubber? _scrubber;

        public string PatientKey { get; } = patientKey;

        public int DateShiftDays { get; init; }

        /// <summary>The attribute Types of the instance's IOD; null when its SOP class is not known.</summary>
        public IodAttributeTypes? Iod { get; init; }

        /// <summary>The identifiers collected for cleaning text; made when first asked for (most policies never ask).</summary>
        public IdentifierScrubber Scrubber => _scrubber ??= new();

        public ActionLog Actions { get; } = new();
    }
}

/// <summary>What one instance's de-identification did: the actions per tag, the date offset and the patient key.</summary>
internal sealed record InstanceReport(ActionLog Actions, int DateShiftDays, string PatientKey);
