/** The package managers whose databases strata reads. */
export type PackageManager = 'dpkg' | 'apk' | 'rpm';

/** One installed package, as its database lists it. */
export interface InstalledPackage {
  manager: PackageManager;
  /** The bare name: no `:arch` (the architecture is in `arch`). */
  name: string;
  version: string;
  arch: string;
  /** Absolute paths the database says the package installed, as listed (directories included). */
  paths: string[];
}

/** A package database as one layer's stacked filesystem holds it. */
export interface PackageDatabase {
  manager: PackageManager;
  packages: InstalledPackage[];
  /** One-line notes on what could not be read (a missing file list, a corrupt record…). */
  notes: string[];
}

/** A package in the final image, with the bytes it accounts for. */
export interface PackageItem {
  manager: PackageManager;
  name: string;
  version: string;
  arch: string;
  /** The layer that last installed or upgraded it. */
  layer: number;
  /** Regular files (hardlinks included) of the package present in the final filesystem. */
  files: number;
  /** Visible bytes of those files, each hardlink group counted once, to the first package listing it. */
  bytes: number;
  /** Bytes that earlier versions of its files still ship in lower layers. */
  hiddenBytes: number;
}

/** What one layer did to the packages, against the layer below. */
export interface LayerPackageChanges {
  added: string[];
  removed: string[];
  upgraded: string[];
}

export interface PackageReport {
  managers: PackageManager[];
  /** Sorted by bytes, largest first. */
  items: PackageItem[];
  /** Visible regular-file bytes that no package owns. */
  unownedBytes: number;
  /** The largest of those files, largest first: where copied-in binaries and leftovers hide. */
  largestUnowned: Array<{ path: string; size: number }>;
  /** One-line notes on databases or records that could not be read. */
  unreadable: string[];
  /** Per layer, in layer order. */
  layers: LayerPackageChanges[];
  /** Who owns a final path (after symlinked parents are resolved): the index into `items`, for lookups. */
  ownerOf(path: string): PackageItem | undefined;
}
