/**
 * Medication classes that change how exercise is dosed or watched.
 * Beta-blockers and other rate-limiting drugs blunt the heart-rate response,
 * so heart-rate targets are replaced by RPE (FACTS §5).
 */
export const MEDICATION_CLASSES = {
  beta_blocker: { label: 'beta-blocker', rateLimiting: true },
  rate_limiting: { label: 'other rate-limiting drug (non-DHP calcium-channel blocker, ivabradine)', rateLimiting: true },
  insulin_or_sulfonylurea: { label: 'insulin or sulfonylurea (hypoglycaemia risk)', rateLimiting: false },
  anticoagulant: { label: 'anticoagulant', rateLimiting: false },
  corticosteroid: { label: 'corticosteroid', rateLimiting: false },
  other: { label: 'other', rateLimiting: false },
} as const;

export type MedicationClass = keyof typeof MEDICATION_CLASSES;
export const MEDICATION_CLASS_CODES = Object.keys(MEDICATION_CLASSES) as MedicationClass[];

/**
 * Common names per class, generic and the commonest brand names (lower case),
 * to guess a class from what the trainer typed; the trainer always confirms.
 * Each guess matters to a rule: beta-blockers and rate-limiting drugs switch
 * dosing to RPE and set the low resting-HR hold (FACTS §5, §10); insulin and
 * sulfonylureas carry hypoglycaemia risk (Turner 2019; FACTS §3). Dihydropyridine
 * calcium-channel blockers (amlodipine…) and antiplatelets are listed as
 * "other" on purpose: they are neither rate-limiting nor anticoagulants.
 */
const COMMON_NAMES: Record<MedicationClass, readonly string[]> = {
  beta_blocker: [
    'metoprolol', 'lopressor', 'toprol', 'betaloc', 'bisoprolol', 'cardicor', 'concor', 'zebeta', 'atenolol', 'tenormin',
    'propranolol', 'inderal', 'carvedilol', 'coreg', 'nebivolol', 'nebilet', 'bystolic', 'labetalol', 'sotalol', 'betapace', 'nadolol', 'acebutolol',
  ],
  // Non-dihydropyridine calcium-channel blockers and ivabradine (FACTS §5).
  rate_limiting: ['verapamil', 'securon', 'calan', 'diltiazem', 'cardizem', 'tildiem', 'adizem', 'ivabradine', 'procoralan', 'corlanor'],
  insulin_or_sulfonylurea: [
    'insulin', 'glargine', 'lantus', 'toujeo', 'abasaglar', 'semglee', 'lispro', 'humalog', 'aspart', 'novorapid', 'novolog', 'fiasp',
    'detemir', 'levemir', 'degludec', 'tresiba', 'glulisine', 'apidra', 'humulin', 'novomix', 'insulatard', 'actrapid',
    'gliclazide', 'diamicron', 'glimepiride', 'amaryl', 'glipizide', 'glucotrol', 'glibenclamide', 'glyburide', 'daonil', 'diabeta', 'tolbutamide',
  ],
  anticoagulant: [
    'warfarin', 'coumadin', 'apixaban', 'eliquis', 'rivaroxaban', 'xarelto', 'dabigatran', 'pradaxa', 'edoxaban', 'lixiana', 'savaysa',
    'enoxaparin', 'clexane', 'lovenox', 'dalteparin', 'fragmin', 'tinzaparin', 'heparin',
  ],
  corticosteroid: ['prednisolone', 'prednisone', 'dexamethasone', 'hydrocortisone', 'methylprednisolone', 'medrol', 'deltacortril'],
  other: [
    'metformin', 'glucophage', 'amlodipine', 'norvasc', 'istin', 'nifedipine', 'felodipine', 'lercanidipine', 'ramipril', 'lisinopril', 'perindopril', 'enalapril',
    'losartan', 'candesartan', 'valsartan', 'irbesartan', 'atorvastatin', 'lipitor', 'simvastatin', 'rosuvastatin', 'crestor', 'aspirin', 'clopidogrel', 'plavix',
    'levothyroxine', 'omeprazole', 'paracetamol', 'acetaminophen', 'ibuprofen', 'naproxen', 'sitagliptin', 'empagliflozin', 'jardiance', 'dapagliflozin', 'forxiga',
  ],
};

const CLASS_OF_NAME = new Map<string, MedicationClass>(
  (Object.entries(COMMON_NAMES) as [MedicationClass, readonly string[]][]).flatMap(([cls, names]) => names.map((n) => [n, cls] as const)),
);

/**
 * The class a medication name points to, read word by word ("Metoprolol
 * succinate 47.5 mg", "Toprol-XL", "insulin glargine"); undefined when no
 * word is known, or when the words point to two classes ("bisoprolol and
 * warfarin" in one line): then the trainer picks, with no default.
 */
export function guessMedicationClass(name: string): MedicationClass | undefined {
  const classes = new Set<MedicationClass>();
  for (const word of name.normalize('NFC').toLowerCase().split(/[^\p{L}]+/u)) {
    const cls = CLASS_OF_NAME.get(word);
    if (cls) classes.add(cls);
  }
  return classes.size === 1 ? [...classes][0] : undefined;
}
