namespace Fp4Sim.Quantization.Text;

/// <summary>One message of the SpamAssassin corpus.</summary>
/// <param name="Id">Message number within its group (for example <c>"00042"</c>); unique only together with <paramref name="Group"/>.</param>
/// <param name="Group">Corpus group (folder) name, for example <c>"easy-ham-1"</c> or <c>"spam-2"</c>.</param>
/// <param name="IsSpam">True when the group name starts with <c>"spam"</c>.</param>
/// <param name="Text">Model-ready text produced by <see cref="MailText.Extract(string)"/>.</param>
public sealed record Mail(string Id, string Group, bool IsSpam, string Text);

/// <summary>Three disjoint subsets of a corpus produced by <see cref="SpamCorpus.Split"/>.</summary>
/// <param name="Calibration">Mails used to calibrate quantization ranges.</param>
/// <param name="Train">Mails used to fit the classifier head.</param>
/// <param name="Evaluation">Held-out mails used to measure accuracy.</param>
public sealed record CorpusSplits(IReadOnlyList<Mail> Calibration, IReadOnlyList<Mail> Train, IReadOnlyList<Mail> Evaluation);
