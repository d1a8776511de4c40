import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import NotificationsNoneIcon from '@mui/icons-material/NotificationsNone';
import NotificationsOffIcon from '@mui/icons-material/NotificationsOff';
import VolumeOffIcon from '@mui/icons-material/VolumeOff';
import VolumeUpIcon from '@mui/icons-material/VolumeUp';
import IconButton from '@mui/material/IconButton';
import { useState } from 'react';

import { toasts } from '@/lib/toast-store';

import { desktopPermission, requestDesktopPermission, type DesktopPermission } from './desktop-notifications';
import { soundSetting, useSoundEnabled } from './settings';
import { deskChime } from './use-desk-notifications';

const permissionHint: Record<DesktopPermission, string> = {
  default: 'Enable desktop notifications',
  granted: 'Desktop notifications are on',
  denied: 'Desktop notifications are blocked in your browser settings',
  unsupported: 'This browser has no desktop notifications',
};

/** AppBar controls: the sound toggle (with a preview) and the desktop-notification permission. */
export function NotificationControls() {
  const soundOn = useSoundEnabled();
  const [permission, setPermission] = useState<DesktopPermission>(desktopPermission);

  const toggleSound = async () => {
    if (soundOn) return soundSetting.set(false);
    const unlocked = await deskChime.unlock();
    if (!unlocked) {
      toasts.show('This browser does not allow sound here.', 'info');
      return;
    }
    soundSetting.set(true);
    deskChime.play();
  };

  const askPermission = async () => setPermission(await requestDesktopPermission());

  const SoundIcon = soundOn ? VolumeUpIcon : VolumeOffIcon;
  const PermissionIcon =
    permission === 'granted' ? NotificationsActiveIcon : permission === 'default' ? NotificationsNoneIcon : NotificationsOffIcon;

  return (
    <>
      <IconButton
        aria-label="Sound alerts"
        aria-pressed={soundOn}
        title={soundOn ? 'Sound alerts are on' : 'Sound alerts are off'}
        onClick={() => void toggleSound()}
      >
        <SoundIcon />
      </IconButton>
      <span title={permissionHint[permission]}>
        <IconButton
          aria-label={permissionHint[permission]}
          disabled={permission !== 'default'}
          onClick={() => void askPermission()}
        >
          <PermissionIcon />
        </IconButton>
      </span>
    </>
  );
}
