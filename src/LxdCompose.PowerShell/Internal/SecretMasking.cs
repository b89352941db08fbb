using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Runtime.CompilerServices;
using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Security;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Internal;

/// <summary>
/// What one cmdlet invocation masks: the secret values of every spec set it loaded (a run adds more while it goes). Each
/// report passes through here on its way out (see <see cref="MaskingCommandRuntime"/>), so no cmdlet has to remember.
/// </summary>
internal sealed class ReportMask
{
    private readonly List<SecretValues> _sets = new();

    public void Include(SecretValues secrets)
    {
        lock (_sets)
        {
            if (!_sets.Contains(secrets))
            {
                _sets.Add(secrets);
            }
        }
    }

    private SecretValues[] Sets
    {
        get
        {
            lock (_sets)
            {
                return _sets.ToArray();
            }
        }
    }

    public string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        foreach (var set in Sets)
        {
            text = set.MaskText(text);
        }

        return text;
    }

    private bool IsSecretName(string name) => Sets.Any(s => s.Names.IsSecretName(name));

    private bool Reveals(string? text) => Sets.Any(s => s.Reveals(text));

    /// <summary>The masked copy of an output object, note properties included (PSObject wrappers keep their type names).</summary>
    public object? Object(object? value)
    {
        if (value is not PSObject wrapped)
        {
            var masked = Redactor().Redact(value);
            if (masked is not null && value is not null && !ReferenceEquals(masked, value))
            {
                MaskedCopies.Remember(masked, PSObject.AsPSObject(value));
            }

            return masked;
        }

        var redactor = Redactor();
        var baseObject = wrapped.BaseObject;
        if (baseObject is PSCustomObject)
        {
            var custom = new PSObject();
            foreach (var property in wrapped.Properties)
            {
                var masked = IsSecretName(property.Name) && property.Value is string { Length: > 0 } ? SecretValues.Mask : redactor.Redact(property.Value);
                custom.Properties.Add(new PSNoteProperty(property.Name, masked));
            }

            CopyTypeNames(wrapped, custom);
            return custom;
        }

        var maskedBase = redactor.Redact(baseObject);
        var notes = wrapped.Properties.OfType<PSNoteProperty>().Where(p => wrapped.Members[p.Name] is PSNoteProperty).ToList();
        var changedNotes = notes.Select(p => (p.Name, Value: redactor.Redact(p.Value))).ToList();
        if (ReferenceEquals(maskedBase, baseObject) && changedNotes.Zip(notes).All(n => ReferenceEquals(n.First.Value, n.Second.Value)))
        {
            return wrapped;
        }

        var copy = new PSObject(maskedBase!);
        MaskedCopies.Remember(maskedBase!, wrapped);
        foreach (var (name, note) in changedNotes)
        {
            copy.Properties.Add(new PSNoteProperty(name, note));
        }

        CopyTypeNames(wrapped, copy);
        return copy;
    }

    private static void CopyTypeNames(PSObject from, PSObject to)
    {
        if (!from.TypeNames.SequenceEqual(to.TypeNames))
        {
            to.TypeNames.Clear();
            foreach (var name in from.TypeNames)
            {
                to.TypeNames.Add(name);
            }
        }
    }

    private SecretRedactor Redactor() => new(Text, IsSecretName);

    /// <summary>
    /// The record as it may be shown: message, details, advice, target and the exception chain masked. A record without
    /// a secret comes back as it is, so its exception stays the very one that was thrown.
    /// </summary>
    public ErrorRecord Error(ErrorRecord record)
    {
        var redactor = Redactor();
        var exception = (Exception)redactor.Redact(record.Exception)!;
        var target = redactor.Redact(record.TargetObject);
        var details = record.ErrorDetails;
        if (ReferenceEquals(exception, record.Exception) && ReferenceEquals(target, record.TargetObject)
            && !Reveals(details?.Message) && !Reveals(details?.RecommendedAction) && !Reveals(record.CategoryInfo.TargetName)
            && !Reveals(record.CategoryInfo.Reason) && !Reveals(record.CategoryInfo.Activity))
        {
            return record;
        }

        var masked = new ErrorRecord(exception, record.FullyQualifiedErrorId, record.CategoryInfo.Category, target);
        masked.CategoryInfo.Activity = Text(record.CategoryInfo.Activity);
        masked.CategoryInfo.Reason = Text(record.CategoryInfo.Reason);
        masked.CategoryInfo.TargetName = Text(record.CategoryInfo.TargetName);
        masked.CategoryInfo.TargetType = record.CategoryInfo.TargetType;
        if (details is not null)
        {
            masked.ErrorDetails = new ErrorDetails(Text(details.Message)) { RecommendedAction = Text(details.RecommendedAction) };
        }

        return masked;
    }

    public ProgressRecord Progress(ProgressRecord record)
    {
        var masked = new ProgressRecord(record.ActivityId, Text(record.Activity), Text(record.StatusDescription))
        {
            CurrentOperation = record.CurrentOperation is null ? null : Text(record.CurrentOperation),
            ParentActivityId = record.ParentActivityId,
            PercentComplete = record.PercentComplete,
            RecordType = record.RecordType,
            SecondsRemaining = record.SecondsRemaining,
        };
        return masked;
    }

    public InformationRecord Information(InformationRecord record)
    {
        object? data = record.MessageData switch
        {
            HostInformationMessage message => new HostInformationMessage
            {
                Message = Text(message.Message),
                NoNewLine = message.NoNewLine,
                ForegroundColor = message.ForegroundColor,
                BackgroundColor = message.BackgroundColor,
            },
            var other => Object(other),
        };
        if (ReferenceEquals(data, record.MessageData))
        {
            return record;
        }

        var masked = new InformationRecord(data, record.Source);
        foreach (var tag in record.Tags)
        {
            masked.Tags.Add(tag);
        }

        return masked;
    }
}

/// <summary>
/// The object each masked copy was made from, for the cmdlet the copy is piped into: a piped object selects what the
/// original names (a project whose name holds a secret value is still that project). Weak: a copy nobody holds lets its
/// original go.
/// </summary>
internal static class MaskedCopies
{
    private static readonly ConditionalWeakTable<object, PSObject> Originals = new();

    public static void Remember(object copy, PSObject original) => Originals.AddOrUpdate(copy, original);

    /// <summary>The original of a piped masked copy, or <paramref name="item"/> itself.</summary>
    public static PSObject OriginalOf(PSObject item) =>
        Originals.TryGetValue(item.BaseObject, out var original) ? original : item;
}

/// <summary>
/// The command runtime of a spec cmdlet: every object, error, message, progress record and -WhatIf/-Confirm text the
/// cmdlet (or the deploy host writing for it) sends goes through <see cref="ReportMask"/> first, then to PowerShell's own
/// runtime. A spec cmdlet runs each phase with one (LxdSpecCmdlet), unless -ShowSecret was given.
/// </summary>
internal sealed class MaskingCommandRuntime : ICommandRuntime2
{
    private readonly ICommandRuntime _inner;
    private readonly ReportMask _mask;

    public MaskingCommandRuntime(ICommandRuntime inner, ReportMask mask)
    {
        _inner = inner;
        _mask = mask;
    }

    /// <summary>
    /// Runs one phase of <paramref name="cmdlet"/> with a masking runtime between it and PowerShell (none when
    /// <paramref name="mask"/> is null: -ShowSecret). PowerShell checks at the start of each phase that a cmdlet's runtime
    /// is its own, so the masking runtime is in place for the phase only.
    /// </summary>
    public static void Run(Cmdlet cmdlet, ReportMask? mask, Action phase)
    {
        if (mask is null)
        {
            phase();
            return;
        }

        var own = cmdlet.CommandRuntime;
        cmdlet.CommandRuntime = new MaskingCommandRuntime(own, mask);
        try
        {
            phase();
        }
        catch (Exception e) when (e is SpecException or DeployException or LxdException or CipherException
            && mask.Object(e) is Exception masked && !ReferenceEquals(masked, e))
        {
            // The module's own exception escaping a phase becomes PowerShell's error record outside this runtime.
            throw masked;
        }
        finally
        {
            cmdlet.CommandRuntime = own;
        }
    }

    public PSHost Host => _inner.Host;

    public PSTransactionContext CurrentPSTransaction => _inner.CurrentPSTransaction;

    public void WriteObject(object sendToPipeline) => _inner.WriteObject(_mask.Object(sendToPipeline));

    public void WriteObject(object sendToPipeline, bool enumerateCollection)
    {
        if (!enumerateCollection || sendToPipeline is string or IDictionary || sendToPipeline is not IEnumerable items)
        {
            _inner.WriteObject(_mask.Object(sendToPipeline));
            return;
        }

        foreach (var item in items)
        {
            _inner.WriteObject(_mask.Object(item));
        }
    }

    public void WriteError(ErrorRecord errorRecord) => _inner.WriteError(_mask.Error(errorRecord));

    public void ThrowTerminatingError(ErrorRecord errorRecord) => _inner.ThrowTerminatingError(_mask.Error(errorRecord));

    public void WriteDebug(string text) => _inner.WriteDebug(_mask.Text(text));

    public void WriteVerbose(string text) => _inner.WriteVerbose(_mask.Text(text));

    public void WriteWarning(string text) => _inner.WriteWarning(_mask.Text(text));

    public void WriteCommandDetail(string text) => _inner.WriteCommandDetail(_mask.Text(text));

    public void WriteProgress(ProgressRecord progressRecord) => _inner.WriteProgress(_mask.Progress(progressRecord));

    public void WriteProgress(long sourceId, ProgressRecord progressRecord) => _inner.WriteProgress(sourceId, _mask.Progress(progressRecord));

    public void WriteInformation(InformationRecord informationRecord)
    {
        if (_inner is ICommandRuntime2 inner)
        {
            inner.WriteInformation(_mask.Information(informationRecord));
        }
    }

    public bool ShouldProcess(string target) => _inner.ShouldProcess(_mask.Text(target));

    public bool ShouldProcess(string target, string action) => _inner.ShouldProcess(_mask.Text(target), _mask.Text(action));

    public bool ShouldProcess(string verboseDescription, string verboseWarning, string caption) =>
        _inner.ShouldProcess(_mask.Text(verboseDescription), _mask.Text(verboseWarning), _mask.Text(caption));

    public bool ShouldProcess(string verboseDescription, string verboseWarning, string caption, out ShouldProcessReason shouldProcessReason) =>
        _inner.ShouldProcess(_mask.Text(verboseDescription), _mask.Text(verboseWarning), _mask.Text(caption), out shouldProcessReason);

    public bool ShouldContinue(string query, string caption) => _inner.ShouldContinue(_mask.Text(query), _mask.Text(caption));

    public bool ShouldContinue(string query, string caption, ref bool yesToAll, ref bool noToAll) =>
        _inner.ShouldContinue(_mask.Text(query), _mask.Text(caption), ref yesToAll, ref noToAll);

    public bool ShouldContinue(string query, string caption, bool hasSecurityImpact, ref bool yesToAll, ref bool noToAll) =>
        _inner is ICommandRuntime2 inner
            ? inner.ShouldContinue(_mask.Text(query), _mask.Text(caption), hasSecurityImpact, ref yesToAll, ref noToAll)
            : _inner.ShouldContinue(_mask.Text(query), _mask.Text(caption), ref yesToAll, ref noToAll);

    public bool TransactionAvailable() => _inner.TransactionAvailable();
}
